/**
 * The configuration schema. Every key is declared here once, with its default; `load-config.ts`
 * validates a file against it and `generate-config.ts` writes a commented file from the same
 * descriptions, so the two cannot drift (a test checks every key appears in the generated file).
 */
import Type, { type Static, type TSchema } from 'typebox';

const strict = { additionalProperties: false } as const;

const Listener = (host: string, port: number, description: string) =>
  Type.Object(
    {
      host: Type.String({ default: host, description: 'Address to bind.' }),
      port: Type.Integer({ minimum: 0, maximum: 65535, default: port, description: 'TCP port.' }),
    },
    { ...strict, default: {}, description },
  );

/** Component names, in the order they start. */
export const COMPONENT_NAMES = [
  'roomserver',
  'userapi',
  'federationapi',
  'syncapi',
  'clientapi',
  'mediaapi',
  'appservice',
] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

const ComponentDatabase = Type.Object(
  { connection_string: Type.String({ description: 'Connection string for this component alone.' }) },
  strict,
);

const ComponentPeer = Type.Object(
  {
    internal_url: Type.String({
      description: 'Base URL of the process running this component, e.g. http://10.0.0.2:8009 (polylith only).',
    }),
  },
  strict,
);

/** `/.well-known/matrix/support` (spec v1.10): who runs the server and where users get help. */
const SupportDocument = Type.Object(
  {
    contacts: Type.Optional(
      Type.Array(
        Type.Object(
          {
            role: Type.String({
              minLength: 1,
              description: 'm.role.admin (any query), m.role.security (sensitive reports) or a namespaced role, e.g. org.example.billing.',
            }),
            matrix_id: Type.Optional(
              Type.String({ description: 'A user ID to reach them; one on another server still works while this one is down.' }),
            ),
            email_address: Type.Optional(Type.String({ description: 'An email address to reach them.' })),
          },
          strict,
        ),
        { description: 'Ways to reach the administrators; each needs matrix_id, email_address or both.' },
      ),
    ),
    support_page: Type.Optional(Type.String({ description: 'URL of a help page for this server\'s users (http or https).' })),
  },
  {
    ...strict,
    description: 'Served at /.well-known/matrix/support; needs contacts or support_page. Absent: that path answers 404.',
  },
);

/** TURN relays for VoIP calls (`GET /voip/turnServer`): without one, calls fail between NATed peers. */
const TurnSection = Type.Object(
  {
    uris: Type.Array(Type.String(), {
      default: [],
      description:
        'TURN URIs given to clients, e.g. [turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349?transport=tcp]. Empty: no TURN (GET /voip/turnServer answers 404).',
    }),
    shared_secret: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'coturn\'s static-auth-secret (use-auth-secret): each user gets credentials that expire after user_lifetime_ms. Not with username/password.',
      }),
    ),
    username: Type.Optional(
      Type.String({ minLength: 1, description: 'A fixed TURN username every user gets (with password), instead of shared_secret.' }),
    ),
    password: Type.Optional(Type.String({ minLength: 1, description: 'The fixed TURN password (with username).' })),
    user_lifetime_ms: Type.Integer({
      minimum: 1000,
      default: 60 * 60 * 1000,
      description: 'How long credentials are valid (the answer\'s ttl); clients fetch new ones before then.',
    }),
    allow_guests: Type.Boolean({ default: true, description: 'Whether guest accounts get TURN credentials.' }),
  },
  { ...strict, default: {}, description: 'TURN relay for VoIP calls (GET /_matrix/client/v3/voip/turnServer).' },
);

export const ConfigSchema = Type.Object(
  {
    server_name: Type.String({
      minLength: 1,
      description: 'The server name: the part after the colon in user IDs. Cannot be changed later.',
    }),
    signing_key_path: Type.String({
      default: 'signing.key',
      description: 'Path of the ed25519 signing key (Synapse format), relative to this file; generated if missing.',
    }),
    old_signing_keys: Type.Record(
      Type.String(),
      Type.Object(
        {
          key: Type.String({ description: 'The unpadded base64 ed25519 public key.' }),
          expired_ts: Type.Integer({ minimum: 0, description: 'When it stopped signing (ms since the epoch).' }),
        },
        strict,
      ),
      {
        default: {},
        description:
          'Keys this server signed with before (Synapse\'s format: key ID → {key, expired_ts}), published as old_verify_keys so other servers still verify events they signed.',
      },
    ),
    public_baseurl: Type.Optional(
      Type.String({ description: 'The URL clients use to reach this server; defaults to http://<client listener>/.' }),
    ),
    listen: Type.Object(
      {
        client: Listener('127.0.0.1', 8008, 'The client listener: client, media, well-known and admin routes.'),
        federation: Type.Optional(
          Type.Object(
            {
              host: Type.String({ default: '0.0.0.0', description: 'Address to bind.' }),
              port: Type.Integer({ minimum: 0, maximum: 65535, default: 8448, description: 'TCP port.' }),
              tls_cert: Type.String({ description: 'PEM certificate chain file.' }),
              tls_key: Type.String({ description: 'PEM private key file.' }),
            },
            {
              ...strict,
              description:
                'The HTTPS federation listener. When absent, federation and key routes are served on the client listener.',
            },
          ),
        ),
        internal: Type.Object(
          {
            host: Type.String({ default: '127.0.0.1', description: 'Address to bind; never expose publicly.' }),
            port: Type.Integer({ minimum: 0, maximum: 65535, default: 8009, description: 'TCP port.' }),
            shared_secret: Type.Optional(
              Type.String({ minLength: 16, description: 'When set, internal API calls must carry this secret.' }),
            ),
            timeout_ms: Type.Integer({ minimum: 1, default: 30000, description: 'Timeout of internal API calls.' }),
          },
          { ...strict, default: {}, description: 'The internal API listener (polylith and internal HTTP).' },
        ),
      },
      { ...strict, default: {}, description: 'Where the server listens.' },
    ),
    database: Type.Object(
      {
        connection_string: Type.String({
          default: 'sqlite:axon.db',
          description: 'sqlite:<path relative to this file> or postgres://user:pass@host:port/db',
        }),
        max_connections: Type.Integer({ minimum: 1, default: 10, description: 'PostgreSQL pool size per database.' }),
        components: Type.Object(
          Object.fromEntries(COMPONENT_NAMES.map((c) => [c, Type.Optional(ComponentDatabase)])) as Record<
            ComponentName,
            ReturnType<typeof Type.Optional<typeof ComponentDatabase>>
          >,
          { ...strict, default: {}, description: 'Per-component overrides of connection_string.' },
        ),
      },
      { ...strict, default: {}, description: 'Storage.' },
    ),
    bus: Type.Object(
      {
        kind: Type.Union([Type.Literal('embedded'), Type.Literal('nats'), Type.Literal('kafka')], {
          default: 'embedded',
          description: 'embedded (monolith only, stored in the database), nats (JetStream) or kafka.',
        }),
        nats: Type.Object(
          {
            servers: Type.Array(Type.String(), { default: ['nats://127.0.0.1:4222'], description: 'NATS URLs.' }),
            prefix: Type.String({ default: 'axon', description: 'Prefix of stream and consumer names.' }),
            retention_days: Type.Integer({
              minimum: 0,
              default: 7,
              description:
                'How long streams keep messages, consumed or not: a consumer created later starts from the oldest kept. 0 keeps them for ever.',
            }),
          },
          { ...strict, default: {}, description: 'NATS JetStream settings (bus.kind: nats).' },
        ),
        kafka: Type.Object(
          {
            brokers: Type.Array(Type.String(), { default: ['127.0.0.1:9092'], description: 'Kafka brokers.' }),
            prefix: Type.String({ default: 'axon', description: 'Prefix of topic and group names.' }),
          },
          { ...strict, default: {}, description: 'Kafka settings (bus.kind: kafka).' },
        ),
      },
      { ...strict, default: {}, description: 'The event bus between components.' },
    ),
    components: Type.Record(Type.String({ pattern: '^[a-z]+$' }), ComponentPeer, {
      default: {},
      description:
        'Where components run that this process calls but does not run (`axon --components …`, polylith), e.g. roomserver: {internal_url: http://10.0.0.2:8009}.',
    }),
    media: Type.Object(
      {
        path: Type.String({ default: 'media', description: 'Directory for media files, relative to this file.' }),
        max_upload_bytes: Type.Integer({ minimum: 1, default: 50 * 1024 * 1024, description: 'Largest upload.' }),
        thumbnail_sizes: Type.Array(
          Type.Object(
            {
              width: Type.Integer({ minimum: 1, maximum: 4096, description: 'Width in pixels.' }),
              height: Type.Integer({ minimum: 1, maximum: 4096, description: 'Height in pixels.' }),
              method: Type.Union([Type.Literal('crop'), Type.Literal('scale')], { description: 'crop or scale.' }),
            },
            strict,
          ),
          {
            default: [
              { width: 32, height: 32, method: 'crop' },
              { width: 96, height: 96, method: 'crop' },
              { width: 320, height: 240, method: 'scale' },
              { width: 640, height: 480, method: 'scale' },
              { width: 800, height: 600, method: 'scale' },
            ],
            description: 'Thumbnail sizes made at upload and preferred when a client asks for a size.',
          },
        ),
        dynamic_thumbnails: Type.Boolean({
          default: true,
          description: 'Make a thumbnail of the exact size asked for when no configured size fits (bounded to 2048 px a side).',
        }),
        max_thumbnail_source_pixels: Type.Integer({
          minimum: 1,
          default: 32 * 1024 * 1024,
          description: 'Images with more pixels than this are not thumbnailed (M_TOO_LARGE).',
        }),
        legacy_unauthenticated: Type.Boolean({
          default: false,
          description: 'Serve the unauthenticated /_matrix/media/v3/download and /thumbnail (deprecated in spec v1.11).',
        }),
        max_pending_uploads: Type.Integer({
          minimum: 1,
          default: 5,
          description: 'Media IDs from /_matrix/media/v1/create a user may hold without uploading to them.',
        }),
        unused_expiry_ms: Type.Integer({
          minimum: 1000,
          default: 24 * 60 * 60 * 1000,
          description: 'How long a media ID from /_matrix/media/v1/create may wait for its upload.',
        }),
      },
      { ...strict, default: {}, description: 'Media repository.' },
    ),
    registration: Type.Object(
      {
        enabled: Type.Boolean({ default: false, description: 'Whether anyone may register an account.' }),
        shared_secret: Type.Optional(
          Type.String({ minLength: 16, description: 'Secret for /_synapse/admin/v1/register (admin tools).' }),
        ),
        requires_token: Type.Boolean({ default: false, description: 'Require a registration token.' }),
        guests: Type.Boolean({ default: false, description: 'Allow guest accounts.' }),
      },
      { ...strict, default: {}, description: 'Account registration.' },
    ),
    rate_limiting: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Rate-limit clients.' }),
        per_second: Type.Number({ exclusiveMinimum: 0, default: 5, description: 'Sustained requests/s per class.' }),
        burst: Type.Integer({ minimum: 1, default: 50, description: 'Requests allowed in a burst.' }),
        login_per_second: Type.Number({ exclusiveMinimum: 0, default: 0.17, description: 'Failed logins/s per IP and per user.' }),
        login_burst: Type.Integer({ minimum: 1, default: 5, description: 'Failed logins allowed in a burst.' }),
        exempt_user_ids: Type.Array(Type.String(), { default: [], description: 'Users never rate-limited.' }),
      },
      { ...strict, default: {}, description: 'Rate limiting.' },
    ),
    federation: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Federate with other servers.' }),
        tls_verify: Type.Boolean({ default: true, description: 'Verify remote TLS certificates.' }),
        ca_file: Type.Optional(Type.String({ description: 'Extra CA certificates (PEM) trusted for federation.' })),
        allow_networks: Type.Array(Type.String(), {
          default: [],
          description: 'CIDRs that outbound requests may reach even if private/loopback (e.g. 127.0.0.0/8 in tests).',
        }),
        deny_networks: Type.Array(Type.String(), {
          default: [
            '127.0.0.0/8',
            '10.0.0.0/8',
            '172.16.0.0/12',
            '192.168.0.0/16',
            '100.64.0.0/10',
            '169.254.0.0/16',
            '0.0.0.0/8',
            '::1/128',
            'fe80::/10',
            'fc00::/7',
          ],
          description: 'CIDRs that outbound requests (federation, media, previews, push) never reach.',
        }),
        trusted_key_servers: Type.Array(
          Type.Object(
            {
              server_name: Type.String({ minLength: 1, description: 'The notary server, e.g. matrix.org.' }),
              verify_keys: Type.Record(Type.String(), Type.String(), {
                description: 'Its key IDs and unpadded base64 public keys; its answers must be signed with one.',
              }),
            },
            strict,
          ),
          {
            default: [],
            description:
              'Notary servers asked for a server\'s keys when it cannot be reached directly. None by default: Axon does not trust matrix.org (or anyone) unless listed, e.g. [{server_name: matrix.org, verify_keys: {"ed25519:auto": Noi6WqcDj0QmPxCNQqgezwTlBKrfqehY1u2FyWP9uYw}}].',
          },
        ),
        sender_shard: Type.Object(
          {
            index: Type.Integer({ minimum: 0, default: 0, description: 'This instance\'s shard, 0 … count − 1.' }),
            count: Type.Integer({ minimum: 1, default: 1, description: 'How many federationapi instances share the outbound destinations.' }),
          },
          {
            ...strict,
            default: {},
            description:
              'Splits outbound federation between federationapi instances: a destination belongs to the instance whose index is a hash of its name modulo count. Every instance needs the same count and its own index.',
          },
        ),
      },
      { ...strict, default: {}, description: 'Federation and outbound requests.' },
    ),
    app_service_config_files: Type.Array(Type.String(), {
      default: [],
      description: 'Application service registration files.',
    }),
    logging: Type.Object(
      {
        level: Type.Union(
          ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map((l) => Type.Literal(l)),
          { default: 'info', description: 'trace, debug, info, warn, error, fatal or silent.' },
        ),
        format: Type.Union([Type.Literal('json'), Type.Literal('pretty')], {
          default: 'json',
          description: 'json (one object per line) or pretty.',
        }),
      },
      { ...strict, default: {}, description: 'Logging.' },
    ),
    metrics: Type.Object(
      { enabled: Type.Boolean({ default: true, description: 'Serve Prometheus metrics at /metrics.' }) },
      { ...strict, default: {}, description: 'Metrics.' },
    ),
    http: Type.Object(
      {
        max_body_bytes: Type.Integer({ minimum: 1024, default: 1024 * 1024, description: 'Largest JSON body.' }),
        access_token_in_query: Type.Boolean({
          default: true,
          description: 'Accept ?access_token= as well as the Authorization header.',
        }),
        trust_forwarded_for: Type.Boolean({
          default: false,
          description: 'Take client IPs from X-Forwarded-For (behind a reverse proxy).',
        }),
      },
      { ...strict, default: {}, description: 'HTTP.' },
    ),
    well_known: Type.Object(
      {
        client_base_url: Type.Optional(
          Type.String({ description: 'm.homeserver base_url in /.well-known/matrix/client (default: public_baseurl).' }),
        ),
        server: Type.Optional(
          Type.String({ description: 'm.server in /.well-known/matrix/server, e.g. matrix.example.org:443.' }),
        ),
        support: Type.Optional(SupportDocument),
      },
      { ...strict, default: {}, description: 'Discovery documents.' },
    ),
    rooms: Type.Object(
      {
        default_version: Type.String({ default: '11', description: 'Room version of new rooms.' }),
      },
      { ...strict, default: {}, description: 'Rooms.' },
    ),
    user_directory: Type.Object(
      {
        search_all_users: Type.Boolean({
          default: false,
          description:
            'Whether user directory searches find every local user. When false, only users who share a room with the searcher or are in a public room are found.',
        }),
      },
      { ...strict, default: {}, description: 'The user directory (POST /user_directory/search).' },
    ),
    presence: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description: 'Track presence. When false, presence updates are accepted and ignored and everyone reads as offline.',
        }),
      },
      { ...strict, default: {}, description: 'Presence (online/unavailable/offline and status messages).' },
    ),
    turn: TurnSection,
  },
  { ...strict, description: 'Axon configuration.' },
);

export type AxonConfig = Static<typeof ConfigSchema>;

/** Schema helper for tests and the generator. */
export type ConfigNode = TSchema;
