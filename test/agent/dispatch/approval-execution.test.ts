import { describe, expect, it } from 'vitest';
import {
  afterCall,
  afterLookup,
  type CallOutcome,
  type ExecutionRecord,
  nextResolverAction,
  type ResolverAction,
} from '../../../src/agent/dispatch/approval-execution.ts';
import { holdsValues } from '../../../src/agent/dispatch/look-up-execution.ts';

/** The approval execution states, as tables: what a resolver does, what the holder records. */

const NOW = Date.parse('2026-03-02T10:00:00Z');
const LATER = NOW + 1000;
const EARLIER = NOW - 1000;

describe('nextResolverAction', () => {
  const table: Array<[string, ExecutionRecord, ResolverAction]> = [
    [
      'not approved (pending, rejected, expired)',
      { toolName: 'create_record', execution: null, leaseUntil: null },
      { action: 'done' },
    ],
    ['executed', { toolName: 'create_record', execution: 'executed', leaseUntil: null }, { action: 'done' }],
    ['failed', { toolName: 'update_record', execution: 'failed', leaseUntil: null }, { action: 'done' }],
    [
      'not executed',
      { toolName: 'delete_record', execution: 'not_executed', leaseUntil: null },
      { action: 'done' },
    ],
    [
      'claimed, holder alive',
      { toolName: 'create_record', execution: 'claimed', leaseUntil: LATER },
      { action: 'wait', retryAt: LATER },
    ],
    [
      'sending, holder alive',
      { toolName: 'create_record', execution: 'sending', leaseUntil: LATER },
      { action: 'wait', retryAt: LATER },
    ],
    [
      'resolving, resolver alive',
      { toolName: 'update_record', execution: 'resolving', leaseUntil: LATER },
      { action: 'wait', retryAt: LATER },
    ],
    [
      'claimed, holder died: the request never left',
      { toolName: 'create_record', execution: 'claimed', leaseUntil: EARLIER },
      { action: 'expire' },
    ],
    [
      'claimed, lease ends exactly now',
      { toolName: 'delete_record', execution: 'claimed', leaseUntil: NOW },
      { action: 'expire' },
    ],
    [
      'claimed read, holder died',
      { toolName: 'query_records', execution: 'claimed', leaseUntil: EARLIER },
      { action: 'expire' },
    ],
    [
      'create sending, holder died',
      { toolName: 'create_record', execution: 'sending', leaseUntil: EARLIER },
      { action: 'look-up' },
    ],
    [
      'update sending, holder died',
      { toolName: 'update_record', execution: 'sending', leaseUntil: EARLIER },
      { action: 'look-up' },
    ],
    [
      'delete sending, holder died',
      { toolName: 'delete_record', execution: 'sending', leaseUntil: EARLIER },
      { action: 'look-up' },
    ],
    [
      'resolving, resolver died',
      { toolName: 'create_record', execution: 'resolving', leaseUntil: EARLIER },
      { action: 'look-up' },
    ],
    [
      'read sending, holder died: nothing changed',
      { toolName: 'get_record', execution: 'sending', leaseUntil: EARLIER },
      { action: 'abandon' },
    ],
    [
      'next_page sending, holder died',
      { toolName: 'next_page', execution: 'sending', leaseUntil: EARLIER },
      { action: 'abandon' },
    ],
    [
      'unfinished with no lease (handed over)',
      { toolName: 'create_record', execution: 'sending', leaseUntil: null },
      { action: 'look-up' },
    ],
  ];
  it.each(table)('%s', (_name, record, expected) => {
    expect(nextResolverAction(record, NOW)).toEqual(expected);
  });
});

describe('afterCall: what the holder records', () => {
  const table: Array<[string, string, CallOutcome, ReturnType<typeof afterCall>]> = [
    [
      'a create done',
      'create_record',
      { kind: 'ok', recordIds: ['00T000000000001AAA'] },
      { action: 'finish', state: 'executed', recordIds: ['00T000000000001AAA'], errorCode: null },
    ],
    [
      'a read done',
      'query_records',
      { kind: 'ok', recordIds: [] },
      { action: 'finish', state: 'executed', recordIds: [], errorCode: null },
    ],
    [
      'a write refused by Salesforce',
      'update_record',
      { kind: 'refused', code: 'field_invalid' },
      { action: 'finish', state: 'failed', recordIds: [], errorCode: 'field_invalid' },
    ],
    [
      'a write with no answer: looked up, never guessed',
      'create_record',
      { kind: 'unknown', code: 'salesforce_unreachable' },
      { action: 'look-up' },
    ],
    [
      'a delete with a 5xx: looked up',
      'delete_record',
      { kind: 'unknown', code: 'UNKNOWN_EXCEPTION' },
      { action: 'look-up' },
    ],
    [
      'a read with no answer: failed, nothing to find',
      'get_record',
      { kind: 'unknown', code: 'salesforce_unreachable' },
      { action: 'finish', state: 'failed', recordIds: [], errorCode: 'salesforce_unreachable' },
    ],
  ];
  it.each(table)('%s', (_name, tool, outcome, expected) => {
    expect(afterCall(tool, outcome)).toEqual(expected);
  });
});

describe('afterLookup', () => {
  it('found: executed with the record; not found: not executed', () => {
    expect(afterLookup({ found: true, recordIds: ['001000000000001AAA'] })).toEqual({
      state: 'executed',
      recordIds: ['001000000000001AAA'],
      errorCode: null,
    });
    expect(afterLookup({ found: false })).toEqual({
      state: 'not_executed',
      recordIds: [],
      errorCode: 'not_executed',
    });
  });
});

describe('holdsValues: a record holds what a write set', () => {
  const table: Array<[string, Record<string, unknown>, Record<string, unknown>, boolean]> = [
    ['same text', { Subject: 'Call' }, { Subject: 'Call' }, true],
    ['field names in any case', { subject: 'Call' }, { Subject: 'Call' }, true],
    ['another text', { Subject: 'Call' }, { Subject: 'Call back' }, false],
    ['a field missing', { Subject: 'Call', Priority: 'High' }, { Subject: 'Call' }, false],
    ['blank set, null read', { Description: '' }, { Description: null }, true],
    ['number and boolean', { Amount: 12.5, IsClosed: true }, { Amount: 12.5, IsClosed: true }, true],
    ['a number read as another', { Amount: 12.5 }, { Amount: 13 }, false],
    [
      'a date-time written with Z, read with +0000',
      { ActivityDateTime: '2026-03-02T10:00:00Z' },
      { ActivityDateTime: '2026-03-02T10:00:00.000+0000' },
      true,
    ],
    [
      'a date-time an hour apart',
      { ActivityDateTime: '2026-03-02T10:00:00Z' },
      { ActivityDateTime: '2026-03-02T11:00:00.000+0000' },
      false,
    ],
  ];
  it.each(table)('%s', (_name, expected, record, holds) => {
    expect(holdsValues(record, expected)).toBe(holds);
  });
});
