package io.rfs.tools;

import io.rfs.gateway.HotChunkCache;
import io.rfs.gateway.S3Gateway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code rfs gateway [--listen HOST:PORT] [--credentials FILE] [--store MODE]}: serves the store over an
 * S3-compatible HTTP API (docs/GATEWAY.md) until SIGTERM or SIGINT.
 * <p>
 * Like {@code rfs serve}, once the gateway listens this command never returns: {@link Rfs#main} would exit the JVM,
 * and the shutdown hook that stops the gateway and closes the store (client before nodes) must run first.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    versionProvider = RfsVersion.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Serve the store over an S3-compatible HTTP API until SIGTERM or SIGINT (docs/GATEWAY.md).",
        "Prints 'READY gateway=<url> accessKeyId=<id> credentials=<file>' once it listens.",
        "Requests must be signed (AWS Signature Version 4) with a key of the credentials file."})
final class GatewayCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @ParentCommand
    Rfs parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
        description = "Where to listen (default: 127.0.0.1:9000; port 0 picks a free one).")
    String listen = "127.0.0.1:9000";

    @Option(names = "--credentials", paramLabel = "FILE",
        description = "Access keys, ACCESS_KEY_ID=SECRET lines (default: DATA/gateway/credentials.properties, " +
            "generated with one random key if absent).")
    Path credentials;

    @Option(names = "--region", paramLabel = "REGION", description = "The region clients sign for (default: us-east-1).")
    String region = S3Gateway.Context.REGION_DEFAULT;

    @Option(names = "--threads", paramLabel = "N",
        description = "Requests served at once (default: " + S3Gateway.Context.THREADS_DEFAULT + ").")
    int threads = S3Gateway.Context.THREADS_DEFAULT;

    @Option(names = "--cache", paramLabel = "SIZE", converter = ByteSizeConverter.class,
        description = "Memory for the cache of hot chunks, e.g. 256m (default: 64m).")
    long cacheBytes = S3Gateway.Context.CHUNK_CACHE_BYTES_DEFAULT;

    @Option(names = "--bucket-cache-ttl", paramLabel = "TIME", converter = DurationConverter.OrZero.class,
        description = "How long a bucket seen to exist is taken to exist without reading its marker again, " +
            "0 for never (default: 1s).")
    Duration bucketCacheTtl = Duration.ofNanos(S3Gateway.Context.BUCKET_CACHE_TTL_NS_DEFAULT);

    @Option(names = "--anonymous-reads", description = "Serve unsigned GET and HEAD requests (default: refused).")
    boolean anonymousReads;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final InetSocketAddress address = address();
        final Path dataDirectory = common.data != null ? common.data : parent.common.dataDirectory();
        final StoreMode mode = (common.store != null ? common.store :
            parent.common.store != null ? parent.common.store : StoreMode.AUTO).resolve(dataDirectory);
        final Path credentialsFile = credentials != null ? credentials : GatewayCredentials.defaultFile(dataDirectory);
        if (credentials == null)
        {
            GatewayCredentials.generateIfAbsent(credentialsFile);
        }
        final Map<String, String> keys = GatewayCredentials.load(credentialsFile);
        final HotChunkCache cache = new HotChunkCache(cacheBytes);
        final OpenedStore opened = OpenedStore.open(mode, dataDirectory, null, cache);
        final S3Gateway gateway;
        try
        {
            gateway = S3Gateway.start(new S3Gateway.Context().address(address).store(opened.store())
                .credentials(keys).region(region).threads(threads).anonymousReads(anonymousReads).chunkCache(cache)
                .bucketCacheTtlNs(bucketCacheTtl.toNanos()));
        }
        catch (final IOException | RuntimeException ex)
        {
            opened.close();
            throw ex;
        }
        final PrintWriter out = spec.commandLine().getOut();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            gateway.close();
            try
            {
                opened.close();
            }
            catch (final IOException ex)
            {
                System.err.println("rfs gateway: closing the store failed: " + ex.getMessage());
            }
            out.println("STOPPED gateway");
            out.flush();
        }, "rfs-gateway-shutdown"));
        out.println("READY gateway=http://" + gateway.address().getHostString() + ":" + gateway.address().getPort() +
            " store=" + opened.mode().name().toLowerCase(java.util.Locale.ROOT) +
            " accessKeyId=" + keys.keySet().iterator().next() + " credentials=" + credentialsFile);
        out.flush();
        new CountDownLatch(1).await();
        return Rfs.EXIT_OK;
    }

    private InetSocketAddress address()
    {
        final int colon = listen.lastIndexOf(':');
        try
        {
            if (colon > 0)
            {
                final int port = Integer.parseInt(listen.substring(colon + 1));
                if (port >= 0 && port <= 65535)
                {
                    return new InetSocketAddress(listen.substring(0, colon), port);
                }
            }
        }
        catch (final NumberFormatException ignore)
        {
            // a usage error below
        }
        throw new ParameterException(spec.commandLine(), "--listen must be HOST:PORT, not '" + listen + "'");
    }
}
