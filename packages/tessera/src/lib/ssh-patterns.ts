// The OpenSSH public key patterns, without node: imports, so that the Node entry (lib/ssh.ts, lib/keys.ts)
// and the web entry (web/ssh.ts, web/keys.ts) recognize the same lines and refuse the same secrets.

/** An OpenSSH public key line Tessera can import (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4). */
export const SSH_LINE =
  /^(ssh-rsa|ssh-ed25519|ssh-ed448|ecdsa-sha2-nistp(?:256|384|521)) ([A-Za-z0-9+/]+={0,2})(?: .*)?$/s;

/**
 * An OpenSSH public key anywhere in a text: after authorized_keys options, separated by tabs, in a
 * known_hosts line, including key types Tessera cannot use (PyJWT's CVE-2022-29217 came from a check
 * that only looked at the start of the string).
 */
export const SSH_KEY_ANYWHERE =
  /(?:^|[\s,"'])(ssh-rsa|ssh-dss|ssh-ed25519|ssh-ed448|ecdsa-sha2-nistp(?:256|384|521)|sk-[a-z0-9-]+@openssh\.com|[a-z0-9-]+-cert-v01@openssh\.com)[ \t]+([A-Za-z0-9+/]+={0,2})/;
