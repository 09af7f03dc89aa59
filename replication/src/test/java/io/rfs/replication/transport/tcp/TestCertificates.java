package io.rfs.replication.transport.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Generates certificate authorities and node certificates at run time with the JDK's {@code keytool} (EC P-256
 * keys), into a test's temporary directory: nothing is committed. A node's key store holds its key and the chain
 * (its certificate, then its CA's); a trust store holds one CA certificate.
 */
final class TestCertificates
{
    static final char[] PASSWORD = "changeit".toCharArray();
    private static final String STORE_PASS = new String(PASSWORD);
    private static final String KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

    private final Path directory;

    TestCertificates(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * Creates a certificate authority: a self-signed CA certificate and its key.
     */
    void authority(final String name)
    {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
            "-ext", "bc:c", "-validity", "30", "-keystore", store(name).toString(), "-storepass", STORE_PASS,
            "-storetype", "PKCS12");
    }

    /**
     * @return a trust store holding the named authority's certificate.
     */
    Path trustStore(final String authority)
    {
        try
        {
            final KeyStore ca = load(store(authority));
            final KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, PASSWORD);
            trust.setCertificateEntry("ca", ca.getCertificate("ca"));
            final Path path = directory.resolve(authority + "-trust.p12");
            save(trust, path);
            return path;
        }
        catch (final GeneralSecurityException | IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Issues a certificate named {@code subject} (as common name and DNS subject alternative name).
     *
     * @param authority   the issuing authority.
     * @param subject     e.g. {@code node-1}.
     * @param file        name of the key store to write.
     * @param extraGencertArgs e.g. {@code -startdate -10d -validity 1} for one that has expired.
     * @return the key store.
     */
    Path issue(final String authority, final String subject, final String file, final String... extraGencertArgs)
    {
        final Path keyStore = directory.resolve(file + ".p12");
        final Path request = directory.resolve(file + ".csr");
        final Path certificate = directory.resolve(file + ".crt");
        keytool("-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + subject,
            "-validity", "30", "-keystore", keyStore.toString(), "-storepass", STORE_PASS, "-storetype", "PKCS12");
        keytool("-certreq", "-alias", "key", "-keystore", keyStore.toString(), "-storepass", STORE_PASS,
            "-file", request.toString());
        final List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore",
            store(authority).toString(), "-storepass", STORE_PASS, "-infile", request.toString(), "-outfile",
            certificate.toString(), "-ext", "SAN=dns:" + subject));
        if (extraGencertArgs.length == 0)
        {
            gencert.addAll(List.of("-validity", "30"));
        }
        gencert.addAll(List.of(extraGencertArgs));
        keytool(gencert.toArray(new String[0]));
        try
        {
            final KeyStore store = load(keyStore);
            final Key key = store.getKey("key", PASSWORD);
            final Certificate leaf;
            try (InputStream in = Files.newInputStream(certificate))
            {
                leaf = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            final Certificate ca = load(store(authority)).getCertificate("ca");
            store.setKeyEntry("key", key, PASSWORD, new Certificate[]{leaf, ca});
            save(store, keyStore);
            return keyStore;
        }
        catch (final GeneralSecurityException | IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private Path store(final String authority)
    {
        return directory.resolve(authority + ".p12");
    }

    private static KeyStore load(final Path path) throws GeneralSecurityException, IOException
    {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path))
        {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static void save(final KeyStore store, final Path path) throws GeneralSecurityException, IOException
    {
        try (OutputStream out = Files.newOutputStream(path))
        {
            store.store(out, PASSWORD);
        }
    }

    private static void keytool(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(KEYTOOL);
        command.add("-J-XX:TieredStopAtLevel=1");
        command.add("-J-XX:+UseSerialGC");
        command.add("-noprompt");
        command.addAll(List.of(args));
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IllegalStateException("keytool failed: " + command + "\n" +
                    new String(output, StandardCharsets.UTF_8));
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
