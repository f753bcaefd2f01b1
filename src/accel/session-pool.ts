/**
 * The sessions of one onnxruntime backend: created on first use through a session factory
 * (runtime/'s `Session.create` unless one is injected) with the backend's options, kept by key
 * (a model and its fixed sizes) for the life of the backend, and released together by
 * `dispose`. Nothing here is shared between backends, so each keeps the options it was made with.
 */
import { ConfigError } from '../errors.js';
import { Session, type SessionOptions } from '../runtime/session.js';

/** Creates a session from ONNX bytes with the given options (`Session.create` by default). */
export type SessionFactory = (bytes: Uint8Array, opts: SessionOptions) => Promise<Session>;

/** Sessions by key, all created with one set of options. */
export class SessionPool {
  private readonly sessions = new Map<string, Promise<Session>>();
  private disposed = false;

  constructor(
    /** The options every session of the pool is created with. */
    readonly options: Readonly<SessionOptions>,
    private readonly factory: SessionFactory = (bytes, opts) => Session.create(bytes, opts),
  ) {}

  /**
   * The session for `key`, created from `model()` on first use.
   * @throws ConfigError once the pool is disposed
   */
  get(key: string, model: () => Uint8Array): Promise<Session> {
    if (this.disposed)
      throw new ConfigError('this onnxruntime backend was disposed; create a new one');
    let s = this.sessions.get(key);
    if (s === undefined) {
      s = this.factory(model(), { ...this.options });
      this.sessions.set(key, s);
    }
    return s;
  }

  /** How many sessions the pool holds (created or being created). */
  get size(): number {
    return this.sessions.size;
  }

  /** Releases every session; later `get` calls throw. Safe to call twice. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const pending = [...this.sessions.values()];
    this.sessions.clear();
    const settled = await Promise.allSettled(pending);
    await Promise.all(
      settled.map((r) => (r.status === 'fulfilled' ? r.value.dispose() : Promise.resolve())),
    );
  }
}
