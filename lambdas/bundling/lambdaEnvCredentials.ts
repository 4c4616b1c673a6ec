/**
 * Stand-in for `@aws-sdk/credential-provider-node` in the Lambda bundles (lib/constructs/lambdaBundling.ts
 * aliases it). Lambda hands a function its execution role's credentials in the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the default chain's other
 * sources (SSO, shared profiles, web identity, instance metadata, with their STS/SSO clients, about
 * 95 KiB) are never reached there. Local runs and tests are not bundled and keep the full chain.
 */
interface EnvCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export function fromLambdaEnvironment(env: NodeJS.ProcessEnv = process.env): EnvCredentials {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey) throw new Error('AWS credentials are not in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), as Lambda provides them');
  const sessionToken = env['AWS_SESSION_TOKEN'];
  const expiration = env['AWS_CREDENTIAL_EXPIRATION'];
  return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }), ...(expiration && { expiration: new Date(expiration) }) };
}

/** The chain's signature: a provider the SDK clients call (and re-call) for credentials. */
export const defaultProvider = () => async (): Promise<EnvCredentials> => fromLambdaEnvironment();
