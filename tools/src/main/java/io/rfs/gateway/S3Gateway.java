package io.rfs.gateway;

import com.sun.net.httpserver.HttpServer;
import io.rfs.store.ConfigurationException;
import io.rfs.store.FileStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP front door: an S3-compatible gateway over any {@link FileStore}, usually the cluster client
 * (docs/GATEWAY.md). It serves path-style S3 requests signed with AWS Signature Version 4 by the access keys of its
 * {@link Context}, and, unsigned, {@code GET /health} and {@code GET /metrics}.
 * <pre>{@code
 * try (S3Gateway gateway = S3Gateway.start(new S3Gateway.Context().store(client).credentials(Map.of(id, secret))))
 * {
 *     ... http://127.0.0.1:9000 ...
 * }
 * }</pre>
 * <p>
 * <b>Server.</b> The JDK's built-in {@code com.sun.net.httpserver} (docs/GATEWAY.md says why): one thread accepts
 * and parses, a fixed pool of {@link Context#threads()} runs requests, each blocking in the store's streaming put or
 * get; so memory is bounded by the pool size times the store's per-request window, and more requests queue.
 */
public final class S3Gateway implements AutoCloseable
{
    private final HttpServer server;
    private final ExecutorService executor;

    private S3Gateway(final HttpServer server, final ExecutorService executor)
    {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param context the configuration, concluded here.
     * @return the running gateway.
     * @throws IOException if it cannot listen.
     */
    public static S3Gateway start(final Context context) throws IOException
    {
        context.conclude();
        final HttpServer server = HttpServer.create(context.address(), context.backlog());
        final AtomicInteger threads = new AtomicInteger();
        final ExecutorService executor = Executors.newFixedThreadPool(context.threads(), task ->
        {
            final Thread thread = new Thread(task, "rfs-gateway-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", new S3Handler(context.store(),
            new SigV4Verifier(context.credentials(), context.region(), context.clock()),
            context.anonymousReads(), new GatewayCounters(),
            new GatewayHealth(context.store(), context.healthIntervalNs(), System::nanoTime), context.chunkCache(),
            new BucketCache(context.bucketCacheTtlNs(), System::nanoTime)));
        server.start();
        return new S3Gateway(server, executor);
    }

    /**
     * @return where it listens.
     */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    /**
     * Stops listening and gives requests in progress up to a second to finish; does not close the store.
     */
    @Override
    public void close()
    {
        server.stop(1);
        executor.shutdownNow();
    }

    /**
     * The gateway's configuration, with documented defaults.
     */
    public static final class Context
    {
        /** Where to listen by default. */
        public static final InetSocketAddress ADDRESS_DEFAULT = new InetSocketAddress("127.0.0.1", 9000);
        /** The region a credential scope must name by default. */
        public static final String REGION_DEFAULT = "us-east-1";
        /** Request threads by default: requests in progress at once. */
        public static final int THREADS_DEFAULT = 16;
        /** Connections waiting to be accepted by default. */
        public static final int BACKLOG_DEFAULT = 64;
        /** Chunk bytes the gateway's cache of hot chunks holds by default (docs/GATEWAY.md, "Chunk cache"). */
        public static final long CHUNK_CACHE_BYTES_DEFAULT = 64L * 1024 * 1024;
        /** How long one {@code /health} probe of the store is served by default before the next one. */
        public static final long HEALTH_INTERVAL_NS_DEFAULT = 1_000_000_000L;
        /**
         * How long a bucket seen to exist is taken to exist by default, sparing PutObject a quorum read of its
         * marker (docs/GATEWAY.md, "Figures: the proxy's cost").
         */
        public static final long BUCKET_CACHE_TTL_NS_DEFAULT = 1_000_000_000L;

        private InetSocketAddress address = ADDRESS_DEFAULT;
        private FileStore store;
        private Map<String, String> credentials = Map.of();
        private String region = REGION_DEFAULT;
        private boolean anonymousReads;
        private Clock clock = Clock.systemUTC();
        private int threads = THREADS_DEFAULT;
        private int backlog = BACKLOG_DEFAULT;
        private HotChunkCache chunkCache;
        private long healthIntervalNs = HEALTH_INTERVAL_NS_DEFAULT;
        private long bucketCacheTtlNs = BUCKET_CACHE_TTL_NS_DEFAULT;

        /**
         * @return this, checked.
         * @throws ConfigurationException naming a field that is missing or out of range.
         */
        public Context conclude()
        {
            if (store == null)
            {
                throw new ConfigurationException("store", null, "the gateway needs a store");
            }
            if (credentials.isEmpty() && !anonymousReads)
            {
                throw new ConfigurationException("credentials", "{}", "no access key could sign a request");
            }
            if (healthIntervalNs < 0)
            {
                throw new ConfigurationException("healthIntervalNs", healthIntervalNs, "must not be negative");
            }
            if (bucketCacheTtlNs < 0)
            {
                throw new ConfigurationException("bucketCacheTtlNs", bucketCacheTtlNs, "must not be negative");
            }
            if (threads < 1 || threads > 1024)
            {
                throw new ConfigurationException("threads", threads, "must be between 1 and 1024");
            }
            return this;
        }

        public InetSocketAddress address()
        {
            return address;
        }

        /**
         * @param address where to listen; port 0 picks a free one.
         * @return this.
         */
        public Context address(final InetSocketAddress address)
        {
            this.address = address;
            return this;
        }

        public FileStore store()
        {
            return store;
        }

        /**
         * @param store what the gateway serves; not closed by the gateway.
         * @return this.
         */
        public Context store(final FileStore store)
        {
            this.store = store;
            return this;
        }

        public Map<String, String> credentials()
        {
            return credentials;
        }

        /**
         * @param credentials access key ids to secret access keys.
         * @return this.
         */
        public Context credentials(final Map<String, String> credentials)
        {
            this.credentials = Map.copyOf(credentials);
            return this;
        }

        public String region()
        {
            return region;
        }

        /**
         * @param region the region clients sign for; default {@value #REGION_DEFAULT}.
         * @return this.
         */
        public Context region(final String region)
        {
            this.region = region;
            return this;
        }

        public boolean anonymousReads()
        {
            return anonymousReads;
        }

        /**
         * @param anonymousReads whether unsigned GET and HEAD requests are served; default false (refused with
         *                       AccessDenied). Unsigned writes are always refused.
         * @return this.
         */
        public Context anonymousReads(final boolean anonymousReads)
        {
            this.anonymousReads = anonymousReads;
            return this;
        }

        public Clock clock()
        {
            return clock;
        }

        /**
         * @param clock checks request times and presigned URL expiry; default the system's UTC clock.
         * @return this.
         */
        public Context clock(final Clock clock)
        {
            this.clock = clock;
            return this;
        }

        public int threads()
        {
            return threads;
        }

        /**
         * @param threads request threads; default {@value #THREADS_DEFAULT}.
         * @return this.
         */
        public Context threads(final int threads)
        {
            this.threads = threads;
            return this;
        }

        public HotChunkCache chunkCache()
        {
            return chunkCache;
        }

        /**
         * @param chunkCache the cache of hot chunks the store's client reads through (set it on the client too,
         *                   {@code ClientContext.chunkCache}), shown in {@code /metrics}; default none.
         * @return this.
         */
        public Context chunkCache(final HotChunkCache chunkCache)
        {
            this.chunkCache = chunkCache;
            return this;
        }

        public long healthIntervalNs()
        {
            return healthIntervalNs;
        }

        /**
         * @param healthIntervalNs how long one probe of the store answers {@code /health} before the next; default
         *                         {@value #HEALTH_INTERVAL_NS_DEFAULT} ns.
         * @return this.
         */
        public Context healthIntervalNs(final long healthIntervalNs)
        {
            this.healthIntervalNs = healthIntervalNs;
            return this;
        }

        public long bucketCacheTtlNs()
        {
            return bucketCacheTtlNs;
        }

        /**
         * @param bucketCacheTtlNs how long a bucket seen to exist is taken to exist without reading its marker again,
         *                         0 to read it for every request that needs it; default
         *                         {@value #BUCKET_CACHE_TTL_NS_DEFAULT} ns. A bucket deleted through another gateway
         *                         can take puts here for that long (docs/GATEWAY.md).
         * @return this.
         */
        public Context bucketCacheTtlNs(final long bucketCacheTtlNs)
        {
            this.bucketCacheTtlNs = bucketCacheTtlNs;
            return this;
        }

        public int backlog()
        {
            return backlog;
        }

        /**
         * @param backlog connections waiting to be accepted; default {@value #BACKLOG_DEFAULT}.
         * @return this.
         */
        public Context backlog(final int backlog)
        {
            this.backlog = backlog;
            return this;
        }
    }
}
