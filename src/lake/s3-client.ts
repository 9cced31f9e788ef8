// A small S3 client (path-style, AWS Signature V4) for the few calls a lake needs: get, put, delete, list, create
// bucket. Chosen over @aws-sdk/client-s3, which brings ~100 packages into the lockfile for these five requests.
import { createHash, createHmac } from 'node:crypto';

export interface S3Options {
  /** e.g. http://127.0.0.1:8333; default AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else https://s3.<region>.amazonaws.com */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Default AWS_REGION, AWS_DEFAULT_REGION, else us-east-1. */
  region?: string;
  /** Per request; default 60 s. */
  timeoutMs?: number;
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

export class S3Error extends Error {
  constructor(message: string, readonly status?: number, readonly code?: string) {
    super(message);
  }
}

export class S3Client {
  private readonly endpoint: URL;
  private readonly region: string;
  private readonly accessKeyId: string;
  private readonly secretAccessKey: string;
  private readonly sessionToken: string | undefined;
  private readonly timeoutMs: number;

  constructor(opts: S3Options) {
    const env = process.env;
    this.region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const endpoint = opts.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? `https://s3.${this.region}.amazonaws.com`;
    try {
      this.endpoint = new URL(endpoint);
    } catch {
      throw new Error(`S3 endpoint "${endpoint}" is not a URL; give one such as http://127.0.0.1:8333 (--s3-endpoint or AWS_ENDPOINT_URL)`);
    }
    if (this.endpoint.protocol !== 'http:' && this.endpoint.protocol !== 'https:') {
      throw new Error(`S3 endpoint "${endpoint}" must start with http:// or https://`);
    }
    const key = opts.accessKeyId ?? env.AWS_ACCESS_KEY_ID;
    const secret = opts.secretAccessKey ?? env.AWS_SECRET_ACCESS_KEY;
    if (!key || !secret) throw new Error('an S3 lake needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    this.accessKeyId = key;
    this.secretAccessKey = secret;
    this.sessionToken = opts.sessionToken ?? env.AWS_SESSION_TOKEN;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  async getObject(bucket: string, key: string): Promise<Buffer | null> {
    const res = await this.request('GET', bucket, key, {}, undefined, [200, 404]);
    if (res.status !== 404) return Buffer.from(await res.arrayBuffer());
    const text = await res.text();
    if (/<Code>NoSuchBucket<\/Code>/.test(text)) throw new S3Error(`GET s3://${bucket}/${key} failed: the bucket "${bucket}" does not exist; create it first`, 404, 'NoSuchBucket');
    return null;
  }

  async putObject(bucket: string, key: string, body: Buffer): Promise<void> {
    await this.request('PUT', bucket, key, {}, body, [200]);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.request('DELETE', bucket, key, {}, undefined, [200, 204, 404]);
  }

  async createBucket(bucket: string): Promise<void> {
    await this.request('PUT', bucket, '', {}, undefined, [200, 409]);
  }

  /** Keys below `prefix` (all pages). */
  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const query: Record<string, string> = { 'list-type': '2', prefix };
      if (token) query['continuation-token'] = token;
      const xml = await (await this.request('GET', bucket, '', query, undefined, [200])).text();
      for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) keys.push(unescapeXml(m[1]));
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? unescapeXml(/<NextContinuationToken>([^<]*)</.exec(xml)?.[1] ?? '') : undefined;
    } while (token);
    return keys;
  }

  private async request(method: string, bucket: string, key: string, query: Record<string, string>, body: Buffer | undefined, ok: number[]): Promise<Response> {
    const basePath = this.endpoint.pathname.replace(/\/$/, '');
    const canonicalUri = `${basePath}/${encode(bucket)}${key ? `/${key.split('/').map(encode).join('/')}` : ''}`;
    const canonicalQuery = Object.keys(query).sort().map((k) => `${encode(k)}=${encode(query[k])}`).join('&');
    const payloadHash = body ? createHash('sha256').update(body).digest('hex') : EMPTY_SHA256;
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    const headers: Record<string, string> = { host: this.endpoint.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
    if (this.sessionToken) headers['x-amz-security-token'] = this.sessionToken;
    const signed = Object.keys(headers).sort();
    const canonicalRequest = [method, canonicalUri, canonicalQuery, ...signed.map((h) => `${h}:${headers[h]}`), '', signed.join(';'), payloadHash].join('\n');
    const scope = `${day}/${this.region}/s3/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${this.secretAccessKey}`, day), this.region), 's3'), 'aws4_request');
    const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
    const { host: _host, ...sent } = headers;
    const url = `${this.endpoint.protocol}//${this.endpoint.host}${canonicalUri}${canonicalQuery ? `?${canonicalQuery}` : ''}`;
    const what = `${method} s3://${bucket}/${key}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { ...sent, authorization: `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}` },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new S3Error(`${what}: cannot reach the S3 endpoint ${this.endpoint.origin} (${cause?.code ?? cause?.message ?? (err as Error).message}); ` +
        'check that the server runs and the endpoint (--s3-endpoint or AWS_ENDPOINT_URL) is right');
    }
    if (!ok.includes(res.status)) {
      const text = await res.text();
      const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
      const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
      const hint = code === 'NoSuchBucket' ? `; create the bucket "${bucket}" first`
        : res.status === 403 ? '; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY' : '';
      throw new S3Error(`${what} failed: HTTP ${res.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}${hint}`, res.status, code);
    }
    return res;
  }
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
