#!/usr/bin/env node
// `casa-integrate serve | worker | migrate | company create | key create | key revoke | storage sweep | snapshot save | snapshot restore | sandbox | requests | compare`
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from './config.js';
import { createServicesOn, type Services } from './services/index.js';
import { migrate } from './bootstrap.js';
import { openConfiguredStorage } from './db/database.js';
import { openFileStorage } from './storage/open-file-storage.js';
import { copyFiles, type CopySummary } from './storage/storage-copy.js';
import pino from 'pino';
import { CreateCompanyBody } from './http/routes/admin/companies.js';
import { validatorCompiler } from './http/validation.js';
import { RequestValidationError } from './errors.js';
import type { CreateCompanyInput } from './services/company/company-service.js';
import { COMPARE_USAGE, CompareUsageError } from './compare/command-line.js';
import { printRequests, putSandbox, readSandboxDocument } from './sandbox-commands.js';

const USAGE = `usage: casa-integrate <command>

  serve                                     start the API (and workers unless CASA_ROLE=api)
  worker                                    run only the background workers
  migrate                                   apply database migrations and exit
  company create --name N --manager-email E [--manager-password P] [--country C] [--customer-type T]
                                            create a company; prints JSON with its api key
  company list                              list companies as JSON
  key create --company ID                   create an api key for a company; prints JSON
  key revoke --key ID                       revoke an api key
  storage sweep                             delete stored files no row names, older than
                                            CASA_STORAGE_ORPHAN_GRACE_S (default a day); prints a summary
  storage copy --to s3|local                copy every stored file from CASA_DATA_DIR/files into the
                                            CASA_S3_* bucket (or back); resumable, skips what is there
  snapshot save FILE                        save the whole database and stored files to FILE
                                            (consistent while the server runs); prints a summary
  snapshot restore FILE                     replace every row and stored file with FILE's
                                            (same migration level; stop the server first, see docs)
  sandbox show --company ID                 print a company's sandbox settings document as JSON
  sandbox set --company ID [FILE]           replace it with the document in FILE (or standard input),
                                            validated like PUT /admin/v1/companies/{id}/sandbox
  sandbox clear --company ID                clear it: nothing injected, the server's timing
  requests --company ID [--limit N] [--follow]
                                            print the company's last N (20) requests, one a line;
                                            with --follow, then each new one until Ctrl-C
${COMPARE_USAGE}

Configuration comes from the environment (see README.md).`;

async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const files = await openFileStorage(config);
  const storage = await openConfiguredStorage(config);
  try {
    await migrate(storage);
    const services = createServicesOn(storage, config, pino({ level: 'warn' }), { files });
    return await fn(services);
  } finally {
    await storage.close();
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export async function run(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === 'compare' && !argv.slice(1).some((a) => a === '--help' || a === '-h')) {
    // Loaded only for this command: it brings its own HTTP client and report writers.
    const { runCompare } = await import('./compare/compare-command.js');
    return runCompare(argv.slice(1), {
      env: process.env,
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  }
  const flags = parseArgs({
    args:
      command === 'company' || command === 'key' || command === 'snapshot' || command === 'storage' || command === 'sandbox'
        ? rest
        : [sub, ...rest].filter((a): a is string => a !== undefined),
    options: {
      name: { type: 'string' },
      'manager-email': { type: 'string' },
      'manager-password': { type: 'string' },
      country: { type: 'string' },
      'customer-type': { type: 'string' },
      company: { type: 'string' },
      key: { type: 'string' },
      to: { type: 'string' },
      follow: { type: 'boolean' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  }).values;

  if (!command || flags.help || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 1;
  }
  switch (command) {
    case 'serve':
    case 'worker': {
      // The server is loaded only by the commands that run it.
      const { serve } = await import('./main.js');
      await serve(command === 'worker' ? { ...loadConfig(), role: 'worker' } : loadConfig());
      return -1; // keeps running
    }
    case 'migrate': {
      const config = loadConfig();
      const storage = await openConfiguredStorage(config);
      const applied = await migrate(storage);
      await storage.close();
      print({ applied });
      return 0;
    }
    case 'company':
      if (sub === 'create') {
        if (!flags.name || !flags['manager-email']) throw new UsageError('company create needs --name and --manager-email');
        const input = validCompanyInput({
          name: flags.name,
          manager_email: flags['manager-email'],
          manager_password: flags['manager-password'],
          country: flags.country,
          customer_type: flags['customer-type'],
        });
        const created = await withServices((s) => s.company.create(input));
        print(created);
        return 0;
      }
      if (sub === 'list') {
        print(await withServices((s) => s.company.list({ limit: 100, offset: 0 })));
        return 0;
      }
      break;
    case 'key':
      if (sub === 'create' && flags.company) {
        print(await withServices((s) => s.company.issueKey(flags.company!)));
        return 0;
      }
      if (sub === 'revoke' && flags.key) {
        await withServices((s) => s.apiKeys.revoke(flags.key!));
        print({ message: 'API key was revoked.' });
        return 0;
      }
      break;
    case 'storage':
      if (sub === 'sweep' && rest.length === 0) {
        print(await withServices((s) => s.storageSweep.sweep()));
        return 0;
      }
      if (sub === 'copy' && (flags.to === 's3' || flags.to === 'local')) {
        print(await copyStorage(flags.to));
        return 0;
      }
      if (sub === 'copy') throw new UsageError('storage copy needs --to s3 or --to local');
      break;
    case 'sandbox': {
      const companyId = flags.company;
      if (!companyId) throw new UsageError('sandbox needs --company ID');
      const positionals = parseArgs({ args: rest, options: { company: { type: 'string' } }, allowPositionals: true }).positionals;
      if (sub === 'show' && positionals.length === 0) {
        print(await withServices((s) => s.sandbox.get(companyId)));
        return 0;
      }
      if (sub === 'set' && positionals.length <= 1) {
        const doc = readSandboxDocument(positionals[0]);
        print(await withServices((s) => putSandbox(s, companyId, doc)));
        return 0;
      }
      if (sub === 'clear' && positionals.length === 0) {
        await withServices((s) => s.sandbox.clear(companyId));
        print({ message: 'Sandbox settings were cleared.' });
        return 0;
      }
      throw new UsageError('sandbox needs show, set [FILE] or clear');
    }
    case 'requests': {
      const companyId = flags.company;
      if (!companyId) throw new UsageError('requests needs --company ID (and optionally --limit N, --follow)');
      const limit = flags.limit === undefined ? 20 : Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000');
      const stop = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await withServices((s) =>
        printRequests(s, companyId, { limit, follow: flags.follow === true, out: (line) => process.stdout.write(`${line}\n`), stop }),
      );
      return 0;
    }
    case 'snapshot': {
      const [file, ...extra] = rest;
      if ((sub !== 'save' && sub !== 'restore') || !file || extra.length > 0)
        throw new UsageError('snapshot needs save or restore and one FILE');
      const { restoreSnapshot, saveSnapshot } = await import('./services/db-snapshot/db-snapshot.js');
      const config = loadConfig();
      const files = await openFileStorage(config);
      const storage = await openConfiguredStorage(config);
      try {
        if (sub === 'save') print(await saveSnapshot(storage, config.dataDir, file, { files }));
        else {
          await migrate(storage);
          print(await restoreSnapshot(storage, config.dataDir, file, files));
        }
      } finally {
        await storage.close();
      }
      return 0;
    }
    default:
      break;
  }
  throw new UsageError(`unknown command: ${argv.join(' ')}`);
}

class UsageError extends Error {}

/** Both stores are named by the environment whatever CASA_STORAGE says: the data directory and CASA_S3_*. */
async function copyStorage(to: 's3' | 'local') {
  const local = await openFileStorage(loadConfig({ ...process.env, CASA_STORAGE: 'local', CASA_ASSET_URLS: 'signed' }));
  const s3 = await openFileStorage(loadConfig({ ...process.env, CASA_STORAGE: 's3', CASA_ASSET_URLS: 'signed' }));
  const [from, into] = to === 's3' ? [local, s3] : [s3, local];
  process.stderr.write(`copying the stored files of ${from.location} into ${into.location}\n`);
  let shown = 0;
  const line = (s: CopySummary) =>
    `${s.copied + s.skipped}/${s.files} files: ${s.copied} copied (${(s.copied_bytes / 1048576).toFixed(1)} MiB), ${s.skipped} already there`;
  const summary = await copyFiles(from, into, (s) => {
    // One progress line, rewritten in place at most once a second.
    if (Date.now() - shown < 1000) return;
    shown = Date.now();
    process.stderr.write(`\r${line(s)}`);
  });
  process.stderr.write(`\r${line(summary)}\n`);
  return summary;
}

/** node:util parseArgs's refusal of an unknown or malformed flag. */
function isArgumentError(err: unknown): boolean {
  return typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('ERR_PARSE_ARGS_');
}

const validateCompany = validatorCompiler({ schema: CreateCompanyBody, httpPart: 'body', method: 'POST', url: '/admin/v1/companies' }) as (
  data: unknown,
) => { value?: unknown; error?: Error };

/** The same rules as `POST /admin/v1/companies`, reported by flag name. */
function validCompanyInput(raw: Record<string, string | undefined>): CreateCompanyInput {
  const input = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const { error } = validateCompany(input);
  if (error instanceof RequestValidationError) {
    throw new UsageError(error.entries.map((e) => `--${String(e.loc[0]).replace(/_/g, '-')}: ${e.msg}`).join('\n'));
  }
  return input as unknown as CreateCompanyInput;
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    // A setting the server cannot start with: one line naming it; the usage would only hide it.
    if (err instanceof ConfigError) {
      process.stderr.write(`casa-integrate: ${err.message}\n`);
      process.exit(2);
    }
    if (err instanceof UsageError || err instanceof CompareUsageError || isArgumentError(err)) {
      process.stderr.write(`casa-integrate: ${(err as Error).message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    const e = err as { message?: string; statusCode?: number };
    process.stderr.write(`casa-integrate: ${e.message ?? String(err)}\n`);
    process.exit(1);
  },
);
