import { ConfigError } from '@bartholomew/platform/server';
import { parseBatchWindow, secondsUntilWindowCloses } from '../src/batch-window';
import { loadGatewayConfig } from '../src/config';

const at = (time: string) => new Date(`2026-12-01T${time}Z`);

describe('the batch window', () => {
  it('is open from its start (inclusive) to its end (exclusive) and tells the seconds until it closes', () => {
    const window = parseBatchWindow('01:00-03:00');
    expect(secondsUntilWindowCloses(window, at('00:59:59'))).toBe(0);
    expect(secondsUntilWindowCloses(window, at('01:00:00'))).toBe(7_200);
    expect(secondsUntilWindowCloses(window, at('02:59:59.500'))).toBe(1);
    expect(secondsUntilWindowCloses(window, at('03:00:00'))).toBe(0);
    expect(secondsUntilWindowCloses(window, at('13:00:00'))).toBe(0);
  });

  it('may pass midnight', () => {
    const window = parseBatchWindow('23:30-00:30');
    expect(secondsUntilWindowCloses(window, at('23:45:00'))).toBe(45 * 60);
    expect(secondsUntilWindowCloses(window, at('00:15:00'))).toBe(15 * 60);
    expect(secondsUntilWindowCloses(window, at('00:30:00'))).toBe(0);
    expect(secondsUntilWindowCloses(window, at('12:00:00'))).toBe(0);
  });

  it('is none when empty', () => {
    expect(parseBatchWindow('')).toBeUndefined();
    expect(secondsUntilWindowCloses(undefined, at('02:00:00'))).toBe(0);
  });

  it('stops the gateway at start with a message naming GATEWAY_BATCH_WINDOW when it is not HH:MM-HH:MM or starts where it ends', () => {
    for (const value of ['1:00-3:00', '25:00-03:00', '01:00', '01:00-01:00']) {
      expect(() => loadGatewayConfig({ GATEWAY_BATCH_WINDOW: value })).toThrow(ConfigError);
      expect(() => loadGatewayConfig({ GATEWAY_BATCH_WINDOW: value })).toThrow(/GATEWAY_BATCH_WINDOW is invalid/);
    }
    expect(loadGatewayConfig({ GATEWAY_BATCH_WINDOW: '22:00-02:00' }).batchWindow).toEqual({ startMinute: 22 * 60, endMinute: 2 * 60 });
    expect(loadGatewayConfig({}).batchWindow).toBeUndefined();
  });
});
