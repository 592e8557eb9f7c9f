// Sweeper: closes pending approvals whose timeout has passed (status expired, approval_decided).
import type { Hub } from '../hub';

export async function expireApprovals(hub: Hub, now: Date): Promise<{ expired: number }> {
  return { expired: await hub.approvals.expireDue(now) };
}
