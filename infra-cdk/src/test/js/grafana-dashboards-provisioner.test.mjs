// Tests of the custom resource function that loads the dashboards into the Grafana workspace
// (src/main/resources/grafana-dashboards-provisioner/index.mjs), with no AWS call: the workspace control plane and
// S3 are injected fakes, Grafana and CloudFormation's response URL are a local HTTP server.
//
// Run by GrafanaDashboardsProvisionerTest (mvn ... -Dtest=GrafanaDashboardsProvisionerTest), which zips the
// dashboards the stack generates as the CDK CLI zips the asset and passes FC_DASHBOARDS_ZIP (the zip) and
// FC_DASHBOARD_UIDS (the uids it holds, comma-separated). By hand: node --test src/test/js/ with both set.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { after, before, test } from 'node:test';

const provisioner = await import(new URL('../../main/resources/grafana-dashboards-provisioner/index.mjs',
  import.meta.url));
const { handle, ATTEMPTS, TOKEN_SECONDS, TIMESTREAM_PLUGIN, SERVICE_ACCOUNT_PREFIX } = provisioner;

const zipPath = process.env.FC_DASHBOARDS_ZIP;
const expectedUids = (process.env.FC_DASHBOARD_UIDS || '').split(',').filter((u) => u);
if (!zipPath || expectedUids.length === 0) {
  throw new Error('FC_DASHBOARDS_ZIP and FC_DASHBOARD_UIDS must be set (GrafanaDashboardsProvisionerTest sets them)');
}
const zip = readFileSync(zipPath);
const WORKSPACE = 'g-0123456789';

/** A stand-in for the Grafana HTTP API and for CloudFormation's response URL. */
class FakeGrafana {
  constructor() {
    this.reset({});
  }

  reset({ pluginInstalled = false, dataSource = false, rejectUid = null, unavailable = null, transient = 0 }) {
    this.state = { pluginInstalled, dataSource, rejectUid, unavailable, transient };
    this.requests = [];
    this.responses = [];
  }

  handle(req, body) {
    const s = this.state;
    const path = req.url;
    if (path === '/cfn-response') {
      this.responses.push({ contentType: req.headers['content-type'], body: JSON.parse(body) });
      return [200, ''];
    }
    this.requests.push({ method: req.method, path, auth: req.headers.authorization, body: body ? JSON.parse(body) : null,
      seq: sequence.next() });
    if (s.unavailable && path.startsWith(s.unavailable)) {
      return [503, '{"message":"unavailable"}'];
    }
    if (req.method === 'GET' && path === `/api/plugins/${TIMESTREAM_PLUGIN}/settings`) {
      return s.pluginInstalled ? [200, `{"id":"${TIMESTREAM_PLUGIN}"}`] : [404, '{"message":"Plugin not found"}'];
    }
    if (req.method === 'POST' && path === `/api/plugins/${TIMESTREAM_PLUGIN}/install`) {
      s.pluginInstalled = true;
      return [200, '{}'];
    }
    if (req.method === 'GET' && path.startsWith('/api/datasources/name/')) {
      return s.dataSource ? [200, '{"id":1,"uid":"ts"}'] : [404, '{"message":"Data source not found"}'];
    }
    if (req.method === 'POST' && path === '/api/datasources') {
      if (!s.pluginInstalled) {
        return [400, '{"message":"plugin not installed"}'];
      }
      s.dataSource = true;
      return [200, '{"id":1,"message":"Datasource added"}'];
    }
    if (req.method === 'POST' && path === '/api/dashboards/db') {
      const { dashboard } = JSON.parse(body);
      if (s.transient > 0) {
        s.transient--;
        return [502, 'bad gateway'];
      }
      if (dashboard.uid === s.rejectUid) {
        return [412, '{"message":"The dashboard has been changed by someone else","status":"version-mismatch"}'];
      }
      return [200, JSON.stringify({ status: 'success', uid: dashboard.uid, version: 2 })];
    }
    return [404, '{"message":"Not found"}'];
  }
}

const sequence = { n: 0, next() { return ++this.n; } };
const grafana = new FakeGrafana();
let server;
let base;

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const [status, text] = grafana.handle(req, body);
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(text);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((r) => server.close(r)));

/** Fake control plane and S3, recording their calls. */
function fakeDeps() {
  const calls = [];
  const sleeps = [];
  let accounts = 0;
  return {
    calls,
    sleeps,
    grafana: {
      async createWorkspaceServiceAccount(input) {
        calls.push({ op: 'createWorkspaceServiceAccount', input, seq: sequence.next() });
        accounts++;
        return { id: String(accounts), name: input.name, grafanaRole: input.grafanaRole, workspaceId: input.workspaceId };
      },
      async createWorkspaceServiceAccountToken(input) {
        calls.push({ op: 'createWorkspaceServiceAccountToken', input, seq: sequence.next() });
        this.issuedKey = `glsa_${input.serviceAccountId}_${Math.random().toString(36).slice(2)}`;
        return { serviceAccountToken: { id: '7', name: input.name, key: this.issuedKey } };
      },
      async deleteWorkspaceServiceAccount(input) {
        calls.push({ op: 'deleteWorkspaceServiceAccount', input, seq: sequence.next() });
        return { serviceAccountId: input.serviceAccountId, workspaceId: input.workspaceId };
      },
    },
    async getObject(bucket, key) {
      calls.push({ op: 'getObject', input: { bucket, key }, seq: sequence.next() });
      return zip;
    },
    async sleep(ms) {
      sleeps.push(ms);
    },
  };
}

function event(requestType, { timestream = true, physicalId } = {}) {
  const props = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provisioner',
    WorkspaceId: WORKSPACE,
    GrafanaUrl: base,
    DashboardsBucket: 'cdk-hnb659fds-assets-123456789012-eu-west-1',
    DashboardsKey: 'abc123.zip',
    Region: 'eu-west-1',
  };
  if (timestream) {
    Object.assign(props, { TimestreamDatabase: 'flight_controller', TimestreamTable: 'measurements',
      DataSourceName: 'Flight Controller Timestream' });
  }
  return {
    RequestType: requestType,
    ResponseURL: `${base}/cfn-response`,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/flight-controller/1',
    RequestId: '5d4a2c1e-0000-4000-8000-000000000001',
    LogicalResourceId: 'GrafanaDashboardsProvisioning',
    ResourceType: 'Custom::GrafanaDashboards',
    ...(physicalId ? { PhysicalResourceId: physicalId } : {}),
    ResourceProperties: props,
  };
}

const posted = () => grafana.requests.filter((r) => r.method === 'POST' && r.path === '/api/dashboards/db');
const onlyResponse = () => {
  assert.equal(grafana.responses.length, 1, 'exactly one answer to CloudFormation');
  return grafana.responses[0];
};

test('create loads every dashboard with overwrite, installs the plugin and creates the data source', async () => {
  grafana.reset({ transient: 1 });
  const deps = fakeDeps();
  await handle(event('Create'), { logStreamName: 'stream' }, deps);

  const answer = onlyResponse();
  assert.equal(answer.body.Status, 'SUCCESS', answer.body.Reason);
  assert.equal(answer.contentType, '', 'no content type: it is part of the pre-signed URL\'s signature');
  assert.equal(answer.body.PhysicalResourceId, `grafana-dashboards:${WORKSPACE}`);
  assert.equal(answer.body.LogicalResourceId, 'GrafanaDashboardsProvisioning');
  assert.deepEqual(answer.body.Data, { Dashboards: String(expectedUids.length), Plugin: 'installed',
    DataSource: 'created' });

  // the dashboards of the asset, every one, replaced by uid
  const dashboards = posted();
  const uids = new Set(dashboards.map((r) => r.body.dashboard.uid));
  assert.deepEqual([...uids].sort(), [...expectedUids].sort());
  for (const r of dashboards) {
    assert.equal(r.body.overwrite, true);
    assert.equal(r.body.dashboard.id, null);
    assert.ok(r.body.dashboard.panels.length > 0, `${r.body.dashboard.uid} has panels`);
  }
  // one 502 was retried after a pause
  assert.equal(dashboards.length, expectedUids.length + 1);
  assert.deepEqual(deps.sleeps, [1000]);

  const install = grafana.requests.filter((r) => r.path === `/api/plugins/${TIMESTREAM_PLUGIN}/install`);
  assert.equal(install.length, 1);
  const created = grafana.requests.filter((r) => r.method === 'POST' && r.path === '/api/datasources');
  assert.equal(created.length, 1);
  assert.equal(created[0].body.type, TIMESTREAM_PLUGIN);
  assert.equal(created[0].body.name, 'Flight Controller Timestream');
  assert.deepEqual(created[0].body.jsonData, { authType: 'ec2_iam_role', defaultRegion: 'eu-west-1',
    defaultDatabase: 'flight_controller', defaultTable: 'measurements' });

  // a short-lived token of a per-run ADMIN service account authorises every request; the account is deleted last
  const ops = deps.calls.map((c) => c.op);
  assert.deepEqual(ops, ['getObject', 'createWorkspaceServiceAccount', 'createWorkspaceServiceAccountToken',
    'deleteWorkspaceServiceAccount']);
  const [read, account, token, removed] = deps.calls;
  assert.deepEqual(read.input, { bucket: 'cdk-hnb659fds-assets-123456789012-eu-west-1', key: 'abc123.zip' });
  assert.equal(account.input.workspaceId, WORKSPACE);
  assert.equal(account.input.grafanaRole, 'ADMIN');
  assert.ok(account.input.name.startsWith(SERVICE_ACCOUNT_PREFIX));
  assert.ok(account.input.name.endsWith('5d4a2c1e-0000-4000-8000-000000000001'));
  assert.equal(token.input.secondsToLive, TOKEN_SECONDS);
  assert.ok(TOKEN_SECONDS <= 3600, 'the token lives at most an hour');
  assert.deepEqual(removed.input, { workspaceId: WORKSPACE, serviceAccountId: '1' });
  for (const r of grafana.requests) {
    assert.equal(r.auth, `Bearer ${deps.grafana.issuedKey}`, `${r.method} ${r.path}`);
    assert.ok(r.seq > token.seq && r.seq < removed.seq, `${r.method} ${r.path} while the token lived`);
  }
});

test('update leaves an installed plugin and an existing data source alone', async () => {
  grafana.reset({ pluginInstalled: true, dataSource: true });
  const deps = fakeDeps();
  await handle(event('Update', { physicalId: `grafana-dashboards:${WORKSPACE}` }), {}, deps);

  const answer = onlyResponse();
  assert.equal(answer.body.Status, 'SUCCESS', answer.body.Reason);
  assert.equal(answer.body.PhysicalResourceId, `grafana-dashboards:${WORKSPACE}`);
  assert.deepEqual(answer.body.Data, { Dashboards: String(expectedUids.length), Plugin: 'present',
    DataSource: 'present' });
  assert.equal(grafana.requests.filter((r) => r.method === 'POST' && r.path !== '/api/dashboards/db').length, 0);
  assert.equal(posted().length, expectedUids.length);
  assert.deepEqual(deps.sleeps, []);
});

test('with InfluxDB only the dashboards are loaded (its data source needs a token only a person has)', async () => {
  grafana.reset({});
  const deps = fakeDeps();
  await handle(event('Create', { timestream: false }), {}, deps);

  const answer = onlyResponse();
  assert.equal(answer.body.Status, 'SUCCESS', answer.body.Reason);
  assert.deepEqual(answer.body.Data, { Dashboards: String(expectedUids.length), Plugin: 'none', DataSource: 'none' });
  assert.deepEqual(grafana.requests.map((r) => r.path), expectedUids.map(() => '/api/dashboards/db'));
});

test('a dashboard Grafana rejects fails the deployment naming the file, and the service account is still deleted',
  async () => {
    grafana.reset({ pluginInstalled: true, dataSource: true, rejectUid: expectedUids[0] });
    const deps = fakeDeps();
    await handle(event('Create'), { logStreamName: '2026/12/01/[$LATEST]abc' }, deps);

    const answer = onlyResponse();
    assert.equal(answer.body.Status, 'FAILED');
    assert.match(answer.body.Reason, /^dashboard [^ ]+\.json: Grafana answered 412 .*version-mismatch/);
    assert.match(answer.body.Reason, /\(log stream 2026\/12\/01\/\[\$LATEST\]abc\)$/);
    assert.equal(answer.body.PhysicalResourceId, `grafana-dashboards:${WORKSPACE}`);
    assert.equal(deps.calls.at(-1).op, 'deleteWorkspaceServiceAccount');
  });

test('a Grafana that keeps answering 503 fails after the retries, naming what it was doing', async () => {
  grafana.reset({ pluginInstalled: true, unavailable: '/api/datasources/name/' });
  const deps = fakeDeps();
  await handle(event('Update', { physicalId: `grafana-dashboards:${WORKSPACE}` }), {}, deps);

  const answer = onlyResponse();
  assert.equal(answer.body.Status, 'FAILED');
  assert.equal(answer.body.Reason,
    `data source 'Flight Controller Timestream': Grafana answered 503 {"message":"unavailable"} (after ${ATTEMPTS} attempts)`);
  assert.equal(deps.sleeps.length, ATTEMPTS - 1);
  assert.equal(posted().length, 0);
  assert.equal(deps.calls.at(-1).op, 'deleteWorkspaceServiceAccount');
});

test('delete touches nothing and answers with the physical id it was given', async () => {
  grafana.reset({});
  const deps = fakeDeps();
  await handle(event('Delete', { physicalId: `grafana-dashboards:${WORKSPACE}` }), {}, deps);

  const answer = onlyResponse();
  assert.equal(answer.body.Status, 'SUCCESS');
  assert.equal(answer.body.PhysicalResourceId, `grafana-dashboards:${WORKSPACE}`);
  assert.deepEqual(deps.calls, []);
  assert.deepEqual(grafana.requests, []);
});
