/**
 * Subscription secrets at rest. The platform must keep each secret (it signs with it), so with
 * KAAS_WEBHOOK_SECRET_KEY set (32 bytes, base64) a secret is stored AES-256-GCM encrypted as
 * `enc:v1:<iv>:<tag>:<ciphertext>` (base64url); unset, it is stored as it is. Either form is
 * read back, so the key can be introduced on a running platform (older rows stay readable).
 */
import crypto from 'node:crypto';

const PREFIX = 'enc:v1:';

/** The stored form of `secret` under `key` (or `secret` itself when no key is configured). */
export function sealSecret(secret: string, key: Buffer | undefined): string {
  if (!key) return secret;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${ct.toString('base64url')}`;
}

/** The secret of a stored value; throws naming the setting when it is encrypted and the key is missing or wrong. */
export function openSecret(stored: string, key: Buffer | undefined): string {
  if (!stored.startsWith(PREFIX)) return stored;
  if (!key) throw new Error('the subscription secret is encrypted but KAAS_WEBHOOK_SECRET_KEY is not set on this worker; set it to the key the API used');
  const [iv, tag, ct] = stored.slice(PREFIX.length).split(':');
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct!, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('the subscription secret cannot be decrypted with this KAAS_WEBHOOK_SECRET_KEY (a different key than the API used)');
  }
}
