// Measures ListMessages page time on a conversation holding a million messages.
// Usage: node history-page.mjs <server host:port> <postgres database of that server>   (see measure-history)
import grpc from '@grpc/grpc-js';
import loader from '@grpc/proto-loader';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [target, database] = process.argv.slice(2);
const protoDir = fileURLToPath(new URL('../../proto', import.meta.url));
const definition = loader.loadSync(['parley/v1/auth_service.proto', 'parley/v1/conversation_service.proto',
  'parley/v1/message_service.proto'], { includeDirs: [protoDir], keepCase: true, longs: Number });
const v1 = grpc.loadPackageDefinition(definition).parley.v1;
const insecure = grpc.credentials.createInsecure();
const auth = new v1.AuthService(target, insecure);
const conversations = new v1.ConversationService(target, insecure);
const messages = new v1.MessageService(target, insecure);
const call = (client, method, request, metadata = new grpc.Metadata()) =>
  new Promise((resolve, reject) => client[method](request, metadata, (e, r) => (e ? reject(e) : resolve(r))));
const psql = (sql) => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-qAt', '-c', sql])
  .toString().trim();

const MESSAGES = Number(process.env.MESSAGES ?? 1_000_000);
const name = `bench${Date.now() % 1e9}`;
const { user, tokens } = await call(auth, 'SignUp', { username: name, email: `${name}@example.com`,
  password: 'benchmark passphrase' });
const metadata = new grpc.Metadata();
metadata.set('authorization', `Bearer ${tokens.access_token}`);
const { conversation } = await call(conversations, 'CreateGroupConversation', { title: 'history bench' }, metadata);

// A million rows straight into the tables the API reads, in the shape SendMessage writes them.
const started = Date.now();
psql(`insert into messages (id, conversation_id, sequence, author_id, client_message_id, text, created_at)
      select gen_random_uuid(), '${conversation.id}', s + 1, '${user.id}', 'bench-' || s,
             'message number ' || s || ' ' || repeat('x', 80), now()
        from generate_series(1, ${MESSAGES}) s;
      update conversations set last_sequence = ${MESSAGES + 1}, last_message_sequence = ${MESSAGES + 1}
       where id = '${conversation.id}';
      analyze messages;`);
console.error(`inserted ${MESSAGES} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);

async function time(label, request, rounds = 300) {
  for (let i = 0; i < 20; i++) await call(messages, 'ListMessages', request(i), metadata); // warm-up
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    const page = await call(messages, 'ListMessages', request(i), metadata);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (page.messages.length !== 50) throw new Error(`${label}: got ${page.messages.length} messages`);
  }
  samples.sort((a, b) => a - b);
  const pct = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))].toFixed(2);
  console.log(JSON.stringify({ page: label, messages_in_conversation: MESSAGES, page_size: 50,
    p50_ms: Number(pct(0.5)), p99_ms: Number(pct(0.99)), max_ms: Number(samples.at(-1).toFixed(2)) }));
}

const id = conversation.id;
await time('newest', () => ({ conversation_id: id }));
await time('before, middle', (i) => ({ conversation_id: id, before_sequence: 500_000 + i * 997 }));
await time('after, oldest', (i) => ({ conversation_id: id, after_sequence: 1 + i * 13 }));
await time('before, deep scroll-back', (i) => ({ conversation_id: id, before_sequence: 1_000 + i }));
console.log(psql(`explain (analyze, costs off, timing off)
  select * from messages where conversation_id = '${id}' and sequence < 500000 order by sequence desc limit 51`));
process.exit(0);
