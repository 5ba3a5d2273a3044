/** The WhatsApp channel as the core sees it. The live implementation is in whatsapp-twilio.ts. */

export type WhatsAppContent =
  { body: string } | { contentSid: string; contentVariables: Record<string, string> };

export interface WhatsAppSendInput {
  /** E.164, without the `whatsapp:` prefix */
  to: string;
  content: WhatsAppContent;
  statusCallback?: string;
}

export interface WhatsAppSent {
  sid: string;
  status: string;
}

export interface WhatsAppMessage {
  sid: string;
  status: string;
  /** E.164, without the `whatsapp:` prefix */
  to: string;
  body: string;
  dateCreated: Date;
}

export interface WhatsAppClient {
  send(input: WhatsAppSendInput): Promise<WhatsAppSent>;
  /**
   * Every outbound message to `to` created at or after `since`, all pages (for reconciliation). Template
   * messages may come back without a body.
   */
  findRecentMessages(to: string, since: Date): Promise<WhatsAppMessage[]>;
  /** One message's current status at the provider (the status sweep). */
  fetchMessage(sid: string): Promise<{ sid: string; status: string; errorCode: string | null }>;
}

/**
 * - transient: nothing was sent; retry later (429, 5xx, connection refused)
 * - unknown: the request may have reached Twilio (timeout, connection reset): reconcile before any retry
 * - permanent: retrying cannot help (invalid number, outside the 24 h window, opted out, bad credentials)
 */
export type WhatsAppErrorKind = 'transient' | 'unknown' | 'permanent';

export class WhatsAppError extends Error {
  readonly kind: WhatsAppErrorKind;
  /** Twilio error code when there is one (e.g. "21211"), else a short local code */
  readonly code: string;
  readonly httpStatus: number | null;
  constructor(kind: WhatsAppErrorKind, code: string, message: string, httpStatus: number | null = null) {
    super(message);
    this.name = 'WhatsAppError';
    this.kind = kind;
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/** Twilio error codes after which the same request can never succeed. */
export const PERMANENT_TWILIO_CODES = new Set([
  20003, // authentication failed
  21211, // invalid To number
  21408, // region not enabled
  21610, // recipient unsubscribed (STOP)
  21612, // cannot route to this number
  21614, // not a mobile number
  21655, // invalid ContentSid
  21656, // invalid ContentVariables
  63003, // channel could not find the To address
  63007, // sender not found for this channel
  63016, // outside the 24 h window without a template
  63024, // invalid message recipient
  63032, // user's number cannot receive this message
]);

export function classifyTwilioFailure(httpStatus: number | null, code: number | null): WhatsAppErrorKind {
  if (code !== null && PERMANENT_TWILIO_CODES.has(code)) return 'permanent';
  if (httpStatus === null) return 'unknown';
  if (httpStatus === 429 || httpStatus >= 500) return 'transient';
  if (httpStatus >= 400) return 'permanent';
  return 'transient';
}

/** Network failures where the request surely never reached the server. */
const NOT_SENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function classifyNetworkError(code: string | undefined): WhatsAppErrorKind {
  return code && NOT_SENT_NETWORK_CODES.has(code) ? 'transient' : 'unknown';
}

export const toWhatsAppAddress = (e164: string) => (e164.startsWith('whatsapp:') ? e164 : `whatsapp:${e164}`);
export const fromWhatsAppAddress = (address: string) => address.replace(/^whatsapp:/, '');
