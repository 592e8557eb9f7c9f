// The app's one StreamHealth (made by Providers next to the tRPC client).
'use client';
import { createContext, useContext } from 'react';
import { StreamHealth } from './stream-health';

export const StreamHealthContext = createContext<StreamHealth>(new StreamHealth());

export function useStreamHealth(): StreamHealth {
  return useContext(StreamHealthContext);
}
