// The operator settings read from the environment: defaults, good values, and bad values that stop
// start-up with CONFIG_INVALID naming the variable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CDR_THRESHOLDS } from '../../src/governance/index.js';
import { cdrThresholdEnv, describeConfig, loadConfig } from '../../src/config.js';
import { CallshieldError } from '../../src/errors.js';

function refused(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => loadConfig(env),
    (err: unknown) => err instanceof CallshieldError && err.code === 'CONFIG_INVALID' && err.field === variable && err.message.includes(variable),
    `${JSON.stringify(env)} should be refused naming ${variable}`,
  );
}

describe('operator settings', () => {
  it('have the documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.riskyCallWindowMinutes, 30);
    assert.equal(c.holdDeadlineHours, 24);
    assert.equal(c.freezeHours, 48);
    assert.equal(c.guardianAlertRisk, 0.8);
    assert.equal(c.webhookMaxAttempts, 25);
    assert.equal(c.webhookTimeoutMs, 5000);
    assert.equal(c.changeLogRetentionSeconds, 86_400);
    assert.equal(c.changePollMs, 1000);
    assert.equal(c.rescoreMinutes, 60);
    assert.deepEqual({ ...c.cdrThresholds }, { ...CDR_THRESHOLDS });
  });

  it('CALLSHIELD_STIR_VERIFY: pool by default, inline when asked, anything else refused', () => {
    assert.equal(loadConfig({}).stirVerify, 'pool');
    assert.equal(loadConfig({ CALLSHIELD_STIR_VERIFY: 'INLINE' }).stirVerify, 'inline');
    refused({ CALLSHIELD_STIR_VERIFY: 'thread' }, 'CALLSHIELD_STIR_VERIFY');
  });

  it('CALLSHIELD_SCREEN_FAST_PATH: on by default, 0 turns it off, an override wins', () => {
    assert.equal(loadConfig({}).screenFastPath, true);
    assert.equal(loadConfig({ CALLSHIELD_SCREEN_FAST_PATH: '1' }).screenFastPath, true);
    assert.equal(loadConfig({ CALLSHIELD_SCREEN_FAST_PATH: '0' }).screenFastPath, false);
    assert.equal(loadConfig({ CALLSHIELD_SCREEN_FAST_PATH: '1' }, { screenFastPath: false }).screenFastPath, false);
    const rows = new Map(describeConfig(loadConfig({ CALLSHIELD_SCREEN_FAST_PATH: '0' })).map((r) => [r.env, r.value]));
    assert.equal(rows.get('CALLSHIELD_SCREEN_FAST_PATH'), false);
  });

  it('read good values from the environment', () => {
    const c = loadConfig({
      CALLSHIELD_RISKY_CALL_WINDOW_MINUTES: '5',
      CALLSHIELD_HOLD_DEADLINE_HOURS: '2.5',
      CALLSHIELD_FREEZE_HOURS: '72',
      CALLSHIELD_GUARDIAN_ALERT_RISK: '0.6',
      CALLSHIELD_WEBHOOK_MAX_ATTEMPTS: '3',
      CALLSHIELD_WEBHOOK_TIMEOUT_MS: '2000',
      CALLSHIELD_CHANGE_LOG_RETENTION_SECONDS: '3600',
      CALLSHIELD_CHANGE_POLL_MS: '250',
      CALLSHIELD_RESCORE_MINUTES: '15',
      CALLSHIELD_CDR_ROBOCALL_PEAK_HOUR: '150',
      CALLSHIELD_CDR_DNC_SHARE: '0.3',
      CALLSHIELD_CDR_NIGHT_START_HOUR: '23',
    });
    assert.equal(c.riskyCallWindowMinutes, 5);
    assert.equal(c.holdDeadlineHours, 2.5);
    assert.equal(c.freezeHours, 72);
    assert.equal(c.guardianAlertRisk, 0.6);
    assert.equal(c.webhookMaxAttempts, 3);
    assert.equal(c.webhookTimeoutMs, 2000);
    assert.equal(c.changeLogRetentionSeconds, 3600);
    assert.equal(c.changePollMs, 250);
    assert.equal(c.rescoreMinutes, 15);
    assert.equal(c.cdrThresholds.robocallPeakHour, 150);
    assert.equal(c.cdrThresholds.dncShare, 0.3);
    assert.equal(c.cdrThresholds.nightStartHour, 23);
    assert.equal(c.cdrThresholds.minCalls, CDR_THRESHOLDS.minCalls);
  });

  it('names every CDR threshold variable after its field', () => {
    assert.equal(cdrThresholdEnv('robocallPeakHour'), 'CALLSHIELD_CDR_ROBOCALL_PEAK_HOUR');
    assert.equal(cdrThresholdEnv('harassmentMaxAnswerRate'), 'CALLSHIELD_CDR_HARASSMENT_MAX_ANSWER_RATE');
  });

  it('refuse bad values naming the variable', () => {
    refused({ CALLSHIELD_RISKY_CALL_WINDOW_MINUTES: '0' }, 'CALLSHIELD_RISKY_CALL_WINDOW_MINUTES');
    refused({ CALLSHIELD_RISKY_CALL_WINDOW_MINUTES: 'thirty' }, 'CALLSHIELD_RISKY_CALL_WINDOW_MINUTES');
    refused({ CALLSHIELD_RISKY_CALL_WINDOW_MINUTES: ' ' }, 'CALLSHIELD_RISKY_CALL_WINDOW_MINUTES');
    refused({ CALLSHIELD_HOLD_DEADLINE_HOURS: '-1' }, 'CALLSHIELD_HOLD_DEADLINE_HOURS');
    refused({ CALLSHIELD_FREEZE_HOURS: 'Infinity' }, 'CALLSHIELD_FREEZE_HOURS');
    refused({ CALLSHIELD_GUARDIAN_ALERT_RISK: '1.5' }, 'CALLSHIELD_GUARDIAN_ALERT_RISK');
    refused({ CALLSHIELD_WEBHOOK_MAX_ATTEMPTS: '2.5' }, 'CALLSHIELD_WEBHOOK_MAX_ATTEMPTS');
    refused({ CALLSHIELD_WEBHOOK_TIMEOUT_MS: '10' }, 'CALLSHIELD_WEBHOOK_TIMEOUT_MS');
    refused({ CALLSHIELD_CHANGE_LOG_RETENTION_SECONDS: '0' }, 'CALLSHIELD_CHANGE_LOG_RETENTION_SECONDS');
    refused({ CALLSHIELD_CHANGE_POLL_MS: '1e9' }, 'CALLSHIELD_CHANGE_POLL_MS');
    refused({ CALLSHIELD_RESCORE_MINUTES: '0' }, 'CALLSHIELD_RESCORE_MINUTES');
    refused({ CALLSHIELD_CDR_DNC_SHARE: '2' }, 'CALLSHIELD_CDR_DNC_SHARE');
    refused({ CALLSHIELD_CDR_MIN_CALLS: '0' }, 'CALLSHIELD_CDR_MIN_CALLS');
    refused({ CALLSHIELD_CDR_NIGHT_END_HOUR: '24' }, 'CALLSHIELD_CDR_NIGHT_END_HOUR');
  });

  it('are frozen and listed by describeConfig (what `callshield config` prints)', () => {
    const c = loadConfig({ CALLSHIELD_CDR_MIN_CALLS: '20' });
    assert.ok(Object.isFrozen(c));
    assert.ok(Object.isFrozen(c.cdrThresholds));
    assert.throws(() => {
      (c as { riskyCallWindowMinutes: number }).riskyCallWindowMinutes = 1;
    }, TypeError);
    const rows = new Map(describeConfig(c).map((r) => [r.env, r.value]));
    assert.equal(rows.get('CALLSHIELD_RISKY_CALL_WINDOW_MINUTES'), 30);
    assert.equal(rows.get('CALLSHIELD_CHANGE_LOG_RETENTION_SECONDS'), 86_400);
    assert.match(String(rows.get('CALLSHIELD_CDR_<NAME>')), /(^| )minCalls=20( |$)/);
  });
});
