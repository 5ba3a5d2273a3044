import type { StockStream } from './vocabulary.ts';

/** The closed set of error codes; each transport maps them (HTTP statuses live in api/errors.ts). */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'unprocessable',
  'insufficient_stock',
  'rate_limited',
  'internal_error',
  'unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export interface AvailableStock {
  quantity: number;
  weightKg: number;
}

export interface InsufficientStockDetails {
  /** what the stock holds now */
  available: AvailableStock;
  stream?: StockStream;
  categoryCode?: string;
  [key: string]: unknown;
}

/** Stock would go below zero: details.available says how much is left, so an adapter can tell the user. */
export class InsufficientStockError extends AppError {
  declare readonly details: InsufficientStockDetails;
  constructor(message: string, details: InsufficientStockDetails) {
    super('insufficient_stock', message, details);
    this.name = 'InsufficientStockError';
  }
  get available(): AvailableStock {
    return this.details.available;
  }
}

export const CANCEL_REFUSALS = [
  'not_found',
  'not_yours',
  'already_cancelled',
  'too_late',
  'stock_gone',
] as const;
export type CancelRefusal = (typeof CANCEL_REFUSALS)[number];

const CANCEL_REFUSAL_CODE: Record<CancelRefusal, ErrorCode> = {
  // another site's deposit is indistinguishable from a missing one
  not_found: 'not_found',
  not_yours: 'forbidden',
  already_cancelled: 'conflict',
  too_late: 'conflict',
  stock_gone: 'conflict',
};

/** A deposit cancellation refused; details.reason says why, so each transport can word it. */
export class CancelRefusedError extends AppError {
  declare readonly details: { reason: CancelRefusal; depositId: number };
  constructor(reason: CancelRefusal, message: string, depositId: number) {
    super(CANCEL_REFUSAL_CODE[reason], message, { reason, depositId });
    this.name = 'CancelRefusedError';
  }
  get reason(): CancelRefusal {
    return this.details.reason;
  }
}
