// `/chat`: the mesh chat and its command interface (spec section 07), full-screen and live.
import { ChatScreen } from '@/components/chat/chat-screen';

export const metadata = { title: 'Chat · m3shd' };

export default function ChatPage() {
  return <ChatScreen />;
}
