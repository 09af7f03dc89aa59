package io.rfs.bench;

import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.tcp.AuthMode;
import io.rfs.replication.transport.tcp.TcpTransport;
import io.rfs.replication.transport.tcp.TcpTransportContext;
import io.rfs.replication.transport.tcp.TcpTransportCounters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Two TCP transports on loopback for the benchmarks: node 1 (the sender, driven by the benchmark thread) and node 2
 * (driven by its own {@link AgentRunner}, handing every message to a handler). TLS mode makes a CA and two node
 * certificates with {@code keytool} in a temporary directory first.
 */
final class TcpPair implements AutoCloseable
{
    static final byte[] SECRET = "bench-cluster-secret-0123456789ab".getBytes(StandardCharsets.US_ASCII);
    private static final char[] PASSWORD = "changeit".toCharArray();

    final TcpTransport sender;
    final TcpTransport receiver;
    private final AgentRunner receiverRunner;
    private final Path directory;

    TcpPair(final AuthMode authMode, final MessageHandler receiverHandler, final IdleStrategy receiverIdle)
    {
        this(authMode, receiverHandler, transport -> receiverIdle);
    }

    /**
     * @param receiverIdle makes the receiver thread's idle strategy from the receiver's transport (to wait on it).
     */
    TcpPair(
        final AuthMode authMode,
        final MessageHandler receiverHandler,
        final Function<TcpTransport, IdleStrategy> receiverIdle)
    {
        try
        {
            directory = authMode == AuthMode.TLS ? Files.createTempDirectory("rfs-bench-tls") : null;
            sender = new TcpTransport(context(1, authMode));
            receiver = new TcpTransport(context(2, authMode));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        sender.addPeer(2, receiver.boundAddress());
        receiver.addPeer(1, sender.boundAddress());
        final TcpTransport transport = receiver;
        receiverRunner = new AgentRunner(receiverIdle.apply(receiver), Throwable::printStackTrace, null, new Agent()
        {
            @Override
            public int doWork()
            {
                return transport.doWork() + transport.poll(receiverHandler, 1024);
            }

            @Override
            public void onClose()
            {
                transport.close();
            }

            @Override
            public String roleName()
            {
                return "bench-receiver";
            }
        });
        AgentRunner.startOnThread(receiverRunner);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!sender.isConnected(2))
        {
            sender.doWork();
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("not connected: " + sender.counters());
            }
        }
    }

    /**
     * Drives the sender until the receiver has delivered {@code accepted} messages, and says so: a check that the
     * throughput measured was throughput delivered, not queued.
     */
    void awaitDelivered(final long accepted)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long delivered;
        while ((delivered = receiver.counters().get(TcpTransportCounters.Counter.FRAMES_RECEIVED)) < accepted)
        {
            sender.doWork();
            if (System.nanoTime() - deadline > 0)
            {
                break;
            }
        }
        System.out.println("delivered " + delivered + " of " + accepted + " accepted; sender: " + sender.counters() +
            "; receiver: " + receiver.counters());
        if (delivered != accepted)
        {
            throw new IllegalStateException("delivered " + delivered + " of " + accepted);
        }
    }

    @Override
    public void close()
    {
        receiverRunner.close();
        sender.close();
        if (directory != null)
        {
            try (Stream<Path> files = Files.walk(directory))
            {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (final IOException ignore)
            {
                // a temporary directory
            }
        }
    }

    private TcpTransportContext context(final int nodeId, final AuthMode authMode)
    {
        final TcpTransportContext context = new TcpTransportContext()
            .nodeId(nodeId)
            .listenAddress(new InetSocketAddress("127.0.0.1", 0))
            .authMode(authMode);
        if (authMode == AuthMode.HMAC)
        {
            return context.clusterSecret(SECRET);
        }
        if (!Files.exists(directory.resolve("ca.p12")))
        {
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=bench-ca", "-ext", "bc:c", "-validity", "2", "-keystore", store("ca"), "-storepass",
                new String(PASSWORD), "-storetype", "PKCS12");
        }
        return context.keyStore(issue("node-" + nodeId), PASSWORD).trustStore(trustStore(), PASSWORD);
    }

    private String store(final String name)
    {
        return directory.resolve(name + ".p12").toString();
    }

    private Path issue(final String name)
    {
        final String password = new String(PASSWORD);
        final Path request = directory.resolve(name + ".csr");
        final Path certificate = directory.resolve(name + ".crt");
        keytool("-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
            "-validity", "2", "-keystore", store(name), "-storepass", password, "-storetype", "PKCS12");
        keytool("-certreq", "-alias", "key", "-keystore", store(name), "-storepass", password, "-file",
            request.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", store("ca"), "-storepass", password, "-infile",
            request.toString(), "-outfile", certificate.toString(), "-ext", "SAN=dns:" + name, "-validity", "2");
        try
        {
            final KeyStore store = load(store(name));
            final Key key = store.getKey("key", PASSWORD);
            final Certificate leaf;
            try (InputStream in = Files.newInputStream(certificate))
            {
                leaf = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            store.setKeyEntry("key", key, PASSWORD, new Certificate[]{leaf, load(store("ca")).getCertificate("ca")});
            try (OutputStream out = Files.newOutputStream(Path.of(store(name))))
            {
                store.store(out, PASSWORD);
            }
            return Path.of(store(name));
        }
        catch (final GeneralSecurityException | IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private Path trustStore()
    {
        try
        {
            final KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, PASSWORD);
            trust.setCertificateEntry("ca", load(store("ca")).getCertificate("ca"));
            final Path path = directory.resolve("trust.p12");
            try (OutputStream out = Files.newOutputStream(path))
            {
                trust.store(out, PASSWORD);
            }
            return path;
        }
        catch (final GeneralSecurityException | IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static KeyStore load(final String path) throws GeneralSecurityException, IOException
    {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(path)))
        {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static void keytool(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-noprompt");
        command.addAll(List.of(args));
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IllegalStateException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
