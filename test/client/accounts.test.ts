// The client against a real server: company, offices and users, and every error class the
// server's error shapes map to (CONTRACT §1).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  CasaApiError,
  CasaAuthenticationError,
  CasaBadRequestError,
  CasaClient,
  CasaConflictError,
  CasaNotFoundError,
  CasaPayloadTooLargeError,
  CasaUnsupportedMediaTypeError,
  CasaValidationError,
} from '../../packages/client/src/index.js';
import { startServer } from './harness.js';

const email = (prefix: string) => `${prefix}-${crypto.randomBytes(4).toString('hex')}@example.com`;

/** The rejection of `promise`, which must be an instance of `kind`. */
async function rejection<E extends Error>(promise: Promise<unknown>, kind: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof kind, `expected ${kind.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    return err;
  }
  assert.fail(`expected ${kind.name}, but the call succeeded`);
}

describe('client: company', () => {
  it('reads the company, replaces and clears its webhooks, reads its package', async (t) => {
    const server = await startServer(t);
    const { company, client } = await server.newCompany();
    const info = await client.getCompanyInfo();
    assert.equal(info.id, company.id);
    assert.equal(info.main_office_id, company.mainOfficeId);
    assert.deepEqual([info.webhook_urls, info.webhook_triggers], [[], []]);

    const set = await client.updateWebhooks({
      webhook_urls: ['https://hooks.example.com/casa'],
      webhook_triggers: ['moved_to_ready', 'moved_to_fixing'],
    });
    assert.deepEqual(set, { webhook_urls: ['https://hooks.example.com/casa'], webhook_triggers: ['moved_to_ready', 'moved_to_fixing'] });
    const after = await client.getCompanyInfo();
    assert.deepEqual([after.webhook_urls, after.webhook_triggers], [set.webhook_urls, set.webhook_triggers]);

    assert.deepEqual(await client.deleteWebhooks(), { webhook_urls: [], webhook_triggers: [] });
    assert.deepEqual((await client.getCompanyInfo()).webhook_urls, []);

    const pkg = await client.getCompanyPackage();
    assert.deepEqual(Object.keys(pkg), ['package_type', 'add_ons', 'available_package_types', 'available_add_ons']);
    assert.ok(pkg.available_package_types.includes(pkg.package_type));
  });

  it('sends a merge request and reports the documented 404 and 409', async (t) => {
    const server = await startServer(t);
    const { client } = await server.newCompany();
    const target = await server.createCompany();
    const sent = await client.sendMergeRequest({ email: target.managerEmail });
    assert.deepEqual(sent, {
      id: sent.id,
      status: 'pending',
      target_email: target.managerEmail,
      created_at: sent.created_at,
      message: 'Merge request sent.',
    });

    const again = await rejection(client.sendMergeRequest({ email: target.managerEmail }), CasaConflictError);
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, { message: 'A merge request to this company is already pending.' });
    const unknown = await rejection(client.sendMergeRequest({ email: email('nobody') }), CasaNotFoundError);
    assert.equal(unknown.serverMessage, 'No Manager with this email was found.');
  });

  it('turns a bad webhook trigger into a CasaValidationError listing the field', async (t) => {
    const server = await startServer(t);
    const { client } = await server.newCompany();
    // Compile-time the trigger is checked too; a caller on plain JavaScript gets the server's answer.
    const err = await rejection(
      client.updateWebhooks({ webhook_urls: ['https://x.example.com'], webhook_triggers: ['moved_to_mars' as 'moved_to_ready'] }),
      CasaValidationError,
    );
    assert.equal(err.status, 400);
    assert.deepEqual(err.issues, [
      {
        part: 'body_params',
        loc: ['webhook_triggers', 0],
        msg: "value is not a valid enumeration member; permitted: 'moved_to_draft', 'moved_to_pending', 'moved_to_ready', 'moved_to_fixing', 'moved_to_failed'",
        type: 'type_error.enum',
      },
    ]);
    assert.deepEqual(err.validationError, { body_params: err.issues.map(({ part: _part, ...entry }) => entry) });
    assert.equal(err.fieldIssues('webhook_triggers', 0).length, 1);
    assert.deepEqual((await client.getCompanyInfo()).webhook_triggers, [], 'nothing changed');
  });
});

describe('client: offices', () => {
  it('creates offices and pages through them with paginate(), newest first', async (t) => {
    const server = await startServer(t);
    const seen: string[] = [];
    const { company, client } = await server.newCompany({
      fetch: (request) => {
        seen.push(new URL(request.url).search);
        return fetch(request);
      },
    });
    const created = [];
    for (let i = 1; i <= 24; i++) created.push(await client.createOffice({ name: `Office ${i}` }));
    assert.deepEqual(Object.keys(created[0]!), ['id', 'name', 'created_at']);
    seen.length = 0;

    const names: string[] = [];
    for await (const office of client.paginate(client.listOffices, {}, { pageSize: 10 })) names.push(office.name);
    assert.deepEqual(names, [...created.map((o) => o.name).reverse(), 'Main office']);
    assert.deepEqual(seen, ['?offset=0&limit=10', '?offset=10&limit=10', '?offset=20&limit=10']);

    const pages = [];
    for await (const page of client.pages(client.listOffices)) pages.push(page.pagination);
    assert.deepEqual(pages, [
      { has_more: true, limit: 20, next_offset: 20, previous_offset: 0 },
      { has_more: false, limit: 20, next_offset: 40, previous_offset: 0 },
    ]);
    const first = await client.listOffices({ limit: 1 });
    assert.deepEqual(first.items, [created.at(-1)]);
    assert.notEqual(first.items[0]!.id, company.mainOfficeId);
  });

  it('reports a duplicate name as CasaConflictError and bad paging as query_params issues', async (t) => {
    const server = await startServer(t);
    const { client } = await server.newCompany();
    await client.createOffice({ name: 'Helsinki' });
    const dup = await rejection(client.createOffice({ name: 'HELSINKI' }), CasaConflictError);
    assert.equal(dup.status, 409);
    assert.equal(typeof dup.serverMessage, 'string');
    assert.match(dup.requestId ?? '', /.+/, 'the x-request-id is kept for support');

    const bad = await rejection(client.listOffices({ limit: 0 }), CasaValidationError);
    assert.deepEqual(bad.issues, [
      { part: 'query_params', loc: ['limit'], msg: 'ensure this value is greater than or equal to 1', type: 'value_error.number.not_ge' },
    ]);
    const names = [];
    for await (const office of client.paginate(client.listOffices)) names.push(office.name);
    assert.deepEqual(names, ['Helsinki', 'Main office']);
  });
});

describe('client: users', () => {
  it('creates, reads, updates, lists by role and deletes a user', async (t) => {
    const server = await startServer(t);
    const { company, client } = await server.newCompany();
    const office = await client.createOffice({ name: 'Field team' });
    const address = email('scanner');
    const created = await client.createUser({
      email: address,
      role: 'Collaborator',
      office_id: office.id,
      password: 'long-enough-1',
      name: 'Ada',
    });
    assert.deepEqual(created, { email: address, id: created.id, message: 'User was created.', role: 'Collaborator' });

    const read = await client.getUserByEmail(address);
    assert.deepEqual(read, {
      id: created.id,
      email: address,
      name: 'Ada',
      surname: null,
      role: 'Collaborator',
      email_confirmed: true,
      created_at: read.created_at,
      office_id: office.id,
    });

    const updated = await client.updateUser(created.id, { surname: 'Lovelace', role: 'User' });
    assert.deepEqual(updated, { ...read, surname: 'Lovelace', role: 'User' });

    const users = [];
    for await (const user of client.paginate(client.listUsers, { role: ['User', 'Manager'] })) users.push(user.email);
    assert.deepEqual(users, [address, company.managerEmail]);
    const collaborators = await client.listUsers({ role: ['Collaborator'] });
    assert.deepEqual(collaborators.items, []);

    assert.deepEqual(await client.changePassword({ email: address, old_password: 'long-enough-1', new_password: 'long-enough-2' }), {
      message: 'Your password has been changed.',
    });
    assert.deepEqual(await client.resetPassword({ email: address }), { message: 'Send reset password email successfully.' });
    assert.deepEqual(await client.deleteUser(created.id), { message: 'User was deleted.' });
    await rejection(client.getUserByEmail(address), CasaNotFoundError);
  });

  it('maps each documented user error to its class, with the server body', async (t) => {
    const server = await startServer(t);
    const { company, client } = await server.newCompany();
    const other = await server.newCompany();

    const invalid = await rejection(client.createUser({ email: 'not-an-email', role: 'User' }), CasaValidationError);
    assert.deepEqual(invalid.body, {
      validation_error: { body_params: [{ loc: ['email'], msg: 'value is not a valid email address', type: 'value_error.email' }] },
    });

    const duplicate = await rejection(client.createUser({ email: company.managerEmail, role: 'User' }), CasaConflictError);
    assert.deepEqual(duplicate.body, { message: 'A user with this email already exists.' });

    const wrongOld = await rejection(
      client.changePassword({ email: company.managerEmail, old_password: 'wrong-password', new_password: 'long-enough-3' }),
      CasaBadRequestError,
    );
    assert.deepEqual(wrongOld.body, { message: 'Old password is incorrect.' });
    assert.ok(!(wrongOld instanceof CasaValidationError));

    const lastManager = await rejection(client.deleteUser(company.managerId), CasaConflictError);
    assert.deepEqual(lastManager.body, { message: 'The last Manager of the company cannot be deleted.' });

    // Another company's user answers exactly like one that does not exist.
    const foreign = await rejection(other.client.getUserByEmail(company.managerEmail), CasaNotFoundError);
    assert.deepEqual(foreign.body, { message: 'User not found.' });
    await rejection(other.client.deleteUser(company.managerId), CasaNotFoundError);
    assert.equal((await client.getUserByEmail(company.managerEmail)).id, company.managerId);
  });
});

describe('client: transport-level errors', () => {
  it('a missing, wrong or revoked key is a CasaAuthenticationError', async (t) => {
    const server = await startServer(t);
    const { company } = await server.newCompany();
    const wrong = new CasaClient({ apiKey: 'casa_0000000000000000000000000000000000000000', baseUrl: server.baseUrl });
    const err = await rejection(wrong.getCompanyInfo(), CasaAuthenticationError);
    assert.deepEqual([err.status, err.body, err.method], [401, { message: 'Invalid or missing api-key header.' }, 'GET']);
    assert.equal(err.url, `${server.baseUrl}/companies/info`);

    assert.equal((await server.admin('DELETE', `/api-keys/${company.apiKeyId}`)).status, 200);
    const revoked = new CasaClient({ apiKey: company.apiKey, baseUrl: server.baseUrl });
    await rejection(revoked.listOffices(), CasaAuthenticationError);
    assert.throws(() => new CasaClient({ apiKey: '', baseUrl: server.baseUrl }), TypeError);
  });

  it('a body over 1 MiB is a CasaPayloadTooLargeError; a non-JSON body sent through `api` is a CasaUnsupportedMediaTypeError', async (t) => {
    const server = await startServer(t);
    const { client } = await server.newCompany();
    const big = await rejection(client.createOffice({ name: 'x'.repeat(1_100_000) }), CasaPayloadTooLargeError);
    assert.deepEqual([big.status, big.body], [413, { message: 'Request body is too large.' }]);

    const text = await rejection(
      client.unwrap(
        client.api.POST('/offices', {
          body: { name: 'Text' },
          bodySerializer: (body) => `name=${body.name}`,
          headers: { 'content-type': 'text/plain' },
        }),
      ),
      CasaUnsupportedMediaTypeError,
    );
    assert.deepEqual([text.status, text.body, text.method], [415, { message: 'Unsupported content type; send application/json.' }, 'POST']);
    assert.ok(text instanceof CasaApiError);
    const names = [];
    for await (const office of client.paginate(client.listOffices)) names.push(office.name);
    assert.deepEqual(names, ['Main office'], 'neither request created anything');
  });
});
