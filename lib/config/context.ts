import type { Node } from 'constructs';
import { ConfigError, parsePublisherConfig, type PublisherConfig } from '../../lambdas/core/config/index.js';
import { parseDeployConfig, type DeployConfig } from './deployConfig.js';

/**
 * `-c key='{"a":1}'` reaches the app as a string, cdk.json context as an object: accept both.
 * Plain strings that are not JSON stay strings (`-c deploy.alarmEmail=ops@example.org`).
 */
function fromCli(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = target[head];
  const next = child && typeof child === 'object' && !Array.isArray(child) ? { ...(child as Record<string, unknown>) } : {};
  setPath(next, rest, value);
  target[head] = next;
}

/** The context object `key`, with any `key.some.path=value` context entries laid over it. */
export function contextObject(node: Node, key: string): unknown {
  const base = fromCli(node.tryGetContext(key));
  const overrides = Object.entries(node.getAllContext()).filter(([k]) => k.startsWith(`${key}.`));
  if (overrides.length === 0) return base;
  if (base !== undefined && (typeof base !== 'object' || base === null || Array.isArray(base))) {
    throw new ConfigError(`context "${key}"`, [`${key}: must be a JSON object to combine with ${overrides.map(([k]) => k).join(', ')}`]);
  }
  const merged: Record<string, unknown> = { ...((base as Record<string, unknown> | undefined) ?? {}) };
  for (const [k, v] of overrides) setPath(merged, k.slice(key.length + 1).split('.'), fromCli(v));
  return merged;
}

export interface StackConfiguration {
  publisher: PublisherConfig;
  deploy: DeployConfig;
}

/** Both configurations, validated; a bad one throws a ConfigError naming each bad key, which fails synth. */
export function loadStackConfiguration(node: Node): StackConfiguration {
  const publisherRaw = contextObject(node, 'publisher');
  if (publisherRaw === undefined) throw new ConfigError('context', ['publisher: is missing; set it in cdk.json "context"']);
  return {
    publisher: parsePublisherConfig(publisherRaw, 'context "publisher" (cdk.json or -c)'),
    deploy: parseDeployConfig(contextObject(node, 'deploy'), 'context "deploy" (cdk.json or -c)'),
  };
}
