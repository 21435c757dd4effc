// Coded errors: every failure the product reports to a person carries a stable code and a message that says
// what was expected. One class family (CodedError), one typed list of the product's own codes (ErrorCode, as
// bolt-js's src/errors.ts has it), one `toError` turning anything thrown into an Error; entry points have one
// top-level handler. A compute service's own codes (e.g. Azure Batch's `PoolResizing`) stay the service's:
// ComputeError carries them as they came.
import type { ComputeBackend } from './compute/model';

export const ErrorCode = {
  ActivityInvalid: 'ActivityInvalid',
  ApprovalNotFound: 'ApprovalNotFound',
  ApprovalUnreadable: 'ApprovalUnreadable',
  AzuriteNotRunning: 'AzuriteNotRunning',
  BadRequest: 'BadRequest',
  BodyInvalid: 'BodyInvalid',
  BodyTooLarge: 'BodyTooLarge',
  CliUsage: 'CliUsage',
  ClusterNotFound: 'ClusterNotFound',
  ConfigInvalid: 'ConfigInvalid',
  ConfigMissing: 'ConfigMissing',
  ConversationIdInvalid: 'ConversationIdInvalid',
  DuplicateFunction: 'DuplicateFunction',
  ExperimentNotFound: 'ExperimentNotFound',
  FollowUpMessageInvalid: 'FollowUpMessageInvalid',
  GrantNotFound: 'GrantNotFound',
  HostJsonInvalid: 'HostJsonInvalid',
  InvalidExpiry: 'InvalidExpiry',
  InvalidFilesRoot: 'InvalidFilesRoot',
  InvalidName: 'InvalidName',
  InvalidOption: 'InvalidOption',
  InvalidPath: 'InvalidPath',
  InvalidTailOptions: 'InvalidTailOptions',
  JobFileUnfilled: 'JobFileUnfilled',
  JobNameTaken: 'JobNameTaken',
  JobNotFound: 'JobNotFound',
  JobNotTranslatable: 'JobNotTranslatable',
  MessageInvalid: 'MessageInvalid',
  MissingSigningKey: 'MissingSigningKey',
  NotConnected: 'NotConnected',
  NotFound: 'NotFound',
  OutputDirectoryNotFound: 'OutputDirectoryNotFound',
  ProtocolError: 'ProtocolError',
  QueryInvalid: 'QueryInvalid',
  ScheduleInvalid: 'ScheduleInvalid',
  ScheduleNeverFires: 'ScheduleNeverFires',
  SlackAppRefused: 'SlackAppRefused',
  TurnsMessageInvalid: 'TurnsMessageInvalid',
  SlackUnreachable: 'SlackUnreachable',
  TemplateBadValue: 'TemplateBadValue',
  TemplateDuplicate: 'TemplateDuplicate',
  TemplateInvalid: 'TemplateInvalid',
  TemplateMissingParameter: 'TemplateMissingParameter',
  TemplateNameWithFolder: 'TemplateNameWithFolder',
  TemplateNoCluster: 'TemplateNoCluster',
  TemplateNotFound: 'TemplateNotFound',
  TemplatePathEmpty: 'TemplatePathEmpty',
  TemplatePathNotFound: 'TemplatePathNotFound',
  TemplateUnknownParameter: 'TemplateUnknownParameter',
  TemplateUnsafeValue: 'TemplateUnsafeValue',
  TemplatesInvalid: 'TemplatesInvalid',
  TimerOverrideInvalid: 'TimerOverrideInvalid',
  TooManyEnvironmentVariables: 'TooManyEnvironmentVariables',
  UnknownTimer: 'UnknownTimer',
  UsageError: 'UsageError',
  WorkspaceNotFound: 'WorkspaceNotFound',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every error the product raises on purpose: a code a person, a log or an audit row can name. */
export abstract class CodedError extends Error {
  abstract readonly code: string;
}

/** Input from a person or a file (a chat command, a template, a card payload) that does not fit. */
export class InputError extends CodedError {
  override readonly name = 'InputError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A response that does not have the shape we expected (an API answer, a stored row). */
export class ProtocolError extends CodedError {
  override readonly name = 'ProtocolError';
  readonly code = ErrorCode.ProtocolError;
}

export interface ComputeErrorDetails {
  backend: ComputeBackend;
  /** ARM's `target`, where the service named the field it refused. */
  target?: string;
  /** Azure Batch's `values` (e.g. the reason of a 409). */
  values?: readonly { key?: string; value?: string }[];
}

/**
 * An error answer of a compute service (Batch AI's ARM body, Azure Batch's OData body, a gateway's text), or a
 * service that could not be reached (status 0), in one shape for every backend: the service's code and message
 * as it sent them (scrubbed of secrets by the decoders), the HTTP status, and whether trying again may help.
 */
export class ComputeError extends CodedError {
  override readonly name = 'ComputeError';
  readonly backend: ComputeBackend;
  readonly target?: string;
  readonly values: readonly { key?: string; value?: string }[];
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    details: ComputeErrorDetails,
  ) {
    super(message);
    this.backend = details.backend;
    if (details.target) this.target = details.target;
    this.values = details.values ?? [];
  }

  /** Throttled, a server-side failure, a timeout, or no answer at all. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export function toError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' ? e : JSON.stringify(e));
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ComputeError && e.status === 404;
}
