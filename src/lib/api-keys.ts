// Third-party API keys (spec sections 03, 20): input schemas of the apiKeys.* procedures, shared by
// every door (tRPC now, the REST edge's /api/admin/keys later).
import { z } from 'zod';
import { LIMITS } from './limits';
import { PERMISSIONS } from './permissions';

export const API_KEY_PREFIX = 'm3shd_key_';

/** Bounds of a key's own limits (requests per minute, requests per UTC day). */
export const API_KEY_LIMITS = { maxPerMinute: 10_000, maxDailyCap: 10_000_000 } as const;

export const apiKeyIdSchema = z.string().min(1).max(64);

export const apiKeysCreateInput = z.object({
  name: z.string().trim().min(1).max(LIMITS.labelLength),
  /** Empty = no access (the key authenticates but every procedure refuses it). */
  permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length),
  rateLimitPerMinute: z.number().int().min(1).max(API_KEY_LIMITS.maxPerMinute).default(60),
  dailyCap: z.number().int().min(1).max(API_KEY_LIMITS.maxDailyCap).default(1000),
});
export type ApiKeysCreateInput = z.infer<typeof apiKeysCreateInput>;

export const apiKeysListInput = z.object({ includeRevoked: z.boolean().optional() }).optional();
export const apiKeysRevokeInput = z.object({ keyId: apiKeyIdSchema });

/** A key as listed (never the key itself, nor its hash). */
export const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  permissions: z.array(z.string()),
  rateLimitPerMinute: z.number().int(),
  dailyCap: z.number().int(),
  /** Accepted requests in the current UTC day. */
  usageToday: z.number().int(),
  usageTotal: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;

/** keys.create's answer: the plain key, shown only here. */
export const apiKeyCreatedSchema = z.object({ key: z.string(), view: apiKeyViewSchema });
