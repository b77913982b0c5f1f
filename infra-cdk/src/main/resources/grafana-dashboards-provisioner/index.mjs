// Custom resource Custom::GrafanaDashboards of the Flight Controller stack (-c grafana=true): loads the generated
// dashboards into the Amazon Managed Grafana workspace, and with Timestream its data source.
//
// Create / Update: read the dashboards zip (the stack's CDK asset) from S3; create a workspace service account with
// Grafana role ADMIN (adding a data source and installing a plugin need it) and a token that lives TOKEN_SECONDS;
// with Timestream install the plugin if the workspace lacks it and create the data source if there is none of that
// name; POST every dashboard to /api/dashboards/db with overwrite=true (replaced by uid); then delete the service
// account, which deletes its token too (DeleteWorkspaceServiceAccount). Delete: nothing; the dashboards stay until the
// workspace goes (it is deleted with the stack, after this resource).
//
// Runs on the Lambda Node.js runtime with the AWS SDK v3 it bundles; no other package. The AWS calls, the S3 read and
// the pause between retries come in as `deps`, so a test can run every path against a local HTTP server.

import http from 'node:http';
import https from 'node:https';
import { inflateRawSync } from 'node:zlib';

/** Lifetime of the service account token, seconds: longer than the function's timeout, far shorter than a day. */
export const TOKEN_SECONDS = 900;
/** Prefix of the per-run service account's name; the request id makes it unique. */
export const SERVICE_ACCOUNT_PREFIX = 'flight-controller-provisioning-';
/** Plugin id of the Amazon Timestream data source. */
export const TIMESTREAM_PLUGIN = 'grafana-timestream-datasource';
/** Attempts per Grafana request when the answer is 429 / 5xx or the connection fails (the endpoint may be new). */
export const ATTEMPTS = 5;
/** Time one Grafana request may take, milliseconds. */
export const REQUEST_TIMEOUT_MS = 30000;

/**
 * The entries of a zip archive (the CDK CLI zips a folder asset): name -> contents. Reads the central directory, so
 * entries written with data descriptors (sizes after the data) are read right; stored (0) and deflated (8) only.
 */
export function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new Error('dashboards archive: no zip end-of-central-directory record');
  }
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) {
      throw new Error(`dashboards archive: bad central directory entry ${n}`);
    }
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localHeader = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) {
      continue;
    }
    const start = localHeader + 30 + buf.readUInt16LE(localHeader + 26) + buf.readUInt16LE(localHeader + 28);
    const data = buf.subarray(start, start + compressedSize);
    if (method === 0) {
      entries.set(name, Buffer.from(data));
    } else if (method === 8) {
      entries.set(name, inflateRawSync(data));
    } else {
      throw new Error(`dashboards archive: entry ${name} uses compression method ${method}, expected 0 or 8`);
    }
  }
  return entries;
}

/** The dashboard models of the archive: its .json entries by file name, in name order. */
export function dashboardsOf(zip) {
  const out = [];
  for (const [name, data] of [...readZip(zip).entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.endsWith('.json')) {
      continue;
    }
    const file = name.split('/').pop();
    try {
      out.push({ file, model: JSON.parse(data.toString('utf8')) });
    } catch (e) {
      throw new Error(`dashboard ${file}: not JSON (${e.message})`);
    }
  }
  if (out.length === 0) {
    throw new Error('dashboards archive: no .json file');
  }
  return out;
}

/** A Grafana HTTP API client for one workspace URL and token; retries 429, 5xx and failed connections. */
export function grafanaApi(url, token, deps) {
  const base = url.replace(/\/+$/, '');
  return async function call(method, path, body, what) {
    let last;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const res = await fetch(base + path, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          // a hung connection counts as a failed attempt, well inside the function's 5 minutes
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        if (res.status === 429 || res.status >= 500) {
          last = `${what}: Grafana answered ${res.status} ${text.slice(0, 300)}`;
        } else {
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          return { status: res.status, json, text };
        }
      } catch (e) {
        last = `${what}: ${method} ${path} failed: ${e.message}`;
      }
      if (attempt < ATTEMPTS) {
        await deps.sleep(1000 * 2 ** (attempt - 1));
      }
    }
    throw new Error(`${last} (after ${ATTEMPTS} attempts)`);
  };
}

function expect(answer, ok, what) {
  if (!ok.includes(answer.status)) {
    throw new Error(`${what}: Grafana answered ${answer.status} ${answer.text.slice(0, 300)}`);
  }
  return answer;
}

/** Installs the Timestream plugin when the workspace lacks it. @return 'installed' or 'present' */
async function ensurePlugin(call) {
  const what = `plugin ${TIMESTREAM_PLUGIN}`;
  const settings = await call('GET', `/api/plugins/${TIMESTREAM_PLUGIN}/settings`, undefined, what);
  if (settings.status === 200) {
    return 'present';
  }
  expect(settings, [404], what);
  expect(await call('POST', `/api/plugins/${TIMESTREAM_PLUGIN}/install`, {}, `installing ${what}`), [200],
    `installing ${what} (the workspace needs plugin administration enabled)`);
  return 'installed';
}

/** Creates the Timestream data source when none has its name. @return 'created' or 'present' */
async function ensureDataSource(call, props) {
  const name = props.DataSourceName;
  const what = `data source '${name}'`;
  const found = await call('GET', `/api/datasources/name/${encodeURIComponent(name)}`, undefined, what);
  if (found.status === 200) {
    return 'present';
  }
  expect(found, [404], what);
  expect(await call('POST', '/api/datasources', {
    name,
    type: TIMESTREAM_PLUGIN,
    access: 'proxy',
    isDefault: true,
    jsonData: {
      // "Workspace IAM role": the workspace's own role, which may read the one table
      authType: 'ec2_iam_role',
      defaultRegion: props.Region,
      defaultDatabase: props.TimestreamDatabase,
      defaultTable: props.TimestreamTable,
    },
  }, `creating ${what}`), [200], `creating ${what}`);
  return 'created';
}

/**
 * Loads the dashboards (and with Timestream the plugin and data source) into the workspace.
 *
 * @param props the custom resource's properties: WorkspaceId, GrafanaUrl, DashboardsBucket, DashboardsKey, Region,
 *     and with Timestream TimestreamDatabase, TimestreamTable, DataSourceName
 * @param requestId CloudFormation's request id (names the service account)
 * @param deps { grafana: { createWorkspaceServiceAccount, createWorkspaceServiceAccountToken,
 *     deleteWorkspaceServiceAccount } (SDK inputs and outputs), getObject(bucket, key) -> Buffer, sleep(ms) }
 * @return the Data of the answer: dashboard count, plugin and data source outcome
 */
export async function provision(props, requestId, deps) {
  for (const key of ['WorkspaceId', 'GrafanaUrl', 'DashboardsBucket', 'DashboardsKey']) {
    if (!props[key]) {
      throw new Error(`property ${key}: expected a value, got '${props[key]}'`);
    }
  }
  const dashboards = dashboardsOf(await deps.getObject(props.DashboardsBucket, props.DashboardsKey));
  const workspaceId = props.WorkspaceId;
  const account = await deps.grafana.createWorkspaceServiceAccount({
    workspaceId,
    name: (SERVICE_ACCOUNT_PREFIX + requestId).slice(0, 128),
    grafanaRole: 'ADMIN',
  });
  try {
    const token = await deps.grafana.createWorkspaceServiceAccountToken({
      workspaceId,
      serviceAccountId: account.id,
      name: 'provisioning',
      secondsToLive: TOKEN_SECONDS,
    });
    const call = grafanaApi(props.GrafanaUrl, token.serviceAccountToken.key, deps);
    let plugin = 'none';
    let dataSource = 'none';
    if (props.TimestreamDatabase) {
      plugin = await ensurePlugin(call);
      dataSource = await ensureDataSource(call, props);
    }
    const uids = [];
    for (const { file, model } of dashboards) {
      const what = `dashboard ${file}`;
      const answer = expect(await call('POST', '/api/dashboards/db', {
        dashboard: { ...model, id: null },
        overwrite: true,
        message: 'Flight Controller deployment (CloudFormation)',
      }, what), [200], what);
      uids.push(answer.json && answer.json.uid ? answer.json.uid : model.uid);
    }
    console.log(JSON.stringify({ dashboards: uids }));
    // the answer to CloudFormation must stay under 4 KiB: counts and outcomes only
    return { Dashboards: String(uids.length), Plugin: plugin, DataSource: dataSource };
  } finally {
    await deps.grafana.deleteWorkspaceServiceAccount({ workspaceId, serviceAccountId: account.id });
  }
}

/** PUTs the answer to CloudFormation's pre-signed URL (no content type: it is part of the signature). */
export function respond(event, status, physicalId, data, reason) {
  const body = JSON.stringify({
    Status: status,
    Reason: (reason || status).slice(0, 1000),
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  const url = new URL(event.ResponseURL);
  const client = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(
        `CloudFormation response: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The custom resource protocol around {@link provision}: always answers, SUCCESS or FAILED with the reason. */
export async function handle(event, context, deps) {
  const props = event.ResourceProperties || {};
  const ownId = `grafana-dashboards:${props.WorkspaceId}`;
  const physicalId = event.RequestType === 'Create' ? ownId : (event.PhysicalResourceId || ownId);
  try {
    let data = {};
    if (event.RequestType === 'Create' || event.RequestType === 'Update') {
      data = await provision(props, event.RequestId, deps);
      console.log(JSON.stringify({ requestType: event.RequestType, ...data }));
    }
    await respond(event, 'SUCCESS', event.RequestType === 'Delete' ? physicalId : ownId, data);
  } catch (e) {
    console.error(e);
    const where = context && context.logStreamName ? ` (log stream ${context.logStreamName})` : '';
    await respond(event, 'FAILED', physicalId, {}, `${e.message}${where}`);
  }
}

/** The AWS SDK v3 of the Lambda runtime, loaded on first use (tests never load it). */
async function awsDeps() {
  const g = await import('@aws-sdk/client-grafana');
  const s3 = await import('@aws-sdk/client-s3');
  const grafana = new g.GrafanaClient({});
  const s3Client = new s3.S3Client({});
  return {
    grafana: {
      createWorkspaceServiceAccount: (input) => grafana.send(new g.CreateWorkspaceServiceAccountCommand(input)),
      createWorkspaceServiceAccountToken: (input) =>
        grafana.send(new g.CreateWorkspaceServiceAccountTokenCommand(input)),
      deleteWorkspaceServiceAccount: (input) => grafana.send(new g.DeleteWorkspaceServiceAccountCommand(input)),
    },
    getObject: async (bucket, key) => {
      const out = await s3Client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await out.Body.transformToByteArray());
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

export const handler = async (event, context) => {
  let deps;
  try {
    deps = await awsDeps();
  } catch (e) {
    console.error(e);
    await respond(event, 'FAILED', event.PhysicalResourceId || 'grafana-dashboards', {},
      `loading the AWS SDK: ${e.message}`);
    return;
  }
  await handle(event, context, deps);
};
