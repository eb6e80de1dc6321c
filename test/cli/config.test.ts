// Numeric settings: a whole number where a fraction is a mistake (a port, processes, bytes, days),
// a decimal where it means something (seconds of delay or timeout, a rate). A bad value stops the
// server at start with the setting's name, rather than running with a rounded or partial value.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

const refuses = (env: Record<string, string>, message: string) =>
  assert.throws(
    () => loadConfig(env),
    (err: Error) => err instanceof ConfigError && err.message === message,
    `${JSON.stringify(env)} is refused with: ${message}`,
  );

describe('numeric settings', () => {
  it('takes whole numbers for counts, ports, bytes and days', () => {
    const config = loadConfig({ PORT: '9090', CASA_PROCESSES: '3', CASA_SCAN_MAX_BYTES: '1048576', CASA_REQUEST_LOG_RETENTION_DAYS: '14' });
    assert.deepEqual([config.port, config.processes, config.scanMaxBytes, config.requestLogRetentionDays], [9090, 3, 1_048_576, 14]);
  });

  it('refuses a fraction, an exponent or a unit where a whole number is meant', () => {
    refuses({ CASA_PROCESSES: '1.5' }, 'CASA_PROCESSES must be a whole number ≥ 1, got "1.5"');
    refuses({ PORT: '8080.0' }, 'PORT must be a whole number ≥ 0, got "8080.0"');
    refuses({ CASA_SCAN_MAX_BYTES: '2e8' }, 'CASA_SCAN_MAX_BYTES must be a whole number ≥ 1, got "2e8"');
    refuses({ CASA_REQUEST_LOG_RETENTION_DAYS: '7d' }, 'CASA_REQUEST_LOG_RETENTION_DAYS must be a whole number ≥ 0, got "7d"');
    refuses({ CASA_PROCESSES: '0' }, 'CASA_PROCESSES must be a whole number ≥ 1, got "0"');
    refuses({ CASA_REQUEST_LOG_MAX_ROWS: '-5' }, 'CASA_REQUEST_LOG_MAX_ROWS must be a whole number ≥ 1, got "-5"');
  });

  it('takes fractions where they mean something: seconds and rates', () => {
    const config = loadConfig({ CASA_PRODUCTION_DELAY_S: '0.5', CASA_WEBHOOK_TIMEOUT_S: '2.5', CASA_RATE_LIMIT_PER_S: '1.5' });
    assert.deepEqual([config.productionDelayS, config.webhookTimeoutS, config.rateLimitPerSecond], [0.5, 2.5, 1.5]);
    refuses({ CASA_WEBHOOK_TIMEOUT_S: '0' }, 'CASA_WEBHOOK_TIMEOUT_S must be a number ≥ 0.01, got "0"');
    refuses({ CASA_PRODUCTION_DELAY_S: 'soon' }, 'CASA_PRODUCTION_DELAY_S must be a number ≥ 0, got "soon"');
    refuses({ CASA_PRODUCTION_DELAY_S: ' ' }, 'CASA_PRODUCTION_DELAY_S must be a number ≥ 0, got " "');
  });
});
