package io.rfs.tools;

import io.rfs.store.InvalidInputException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The gateway's access keys: a properties file of {@code ACCESS_KEY_ID=SECRET_ACCESS_KEY} lines, one per key
 * (docs/GATEWAY.md, "Authentication"). {@code rfs gateway} reads {@code --credentials FILE}, or else
 * {@code DATA/gateway/credentials.properties}, which it generates with one random key, owner-only, when absent.
 */
final class GatewayCredentials
{
    /** The directory under the data directory that holds the gateway's files. */
    static final String DIRECTORY = "gateway";
    /** The default credentials file in it. */
    static final String FILE = "credentials.properties";

    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_ALPHABET = UPPER + "abcdefghijklmnopqrstuvwxyz";
    private static final int ACCESS_KEY_LENGTH = 20;
    private static final int SECRET_LENGTH = 40;

    private GatewayCredentials()
    {
    }

    /**
     * @param dataDirectory the data directory.
     * @return the default credentials file.
     */
    static Path defaultFile(final Path dataDirectory)
    {
        return dataDirectory.toAbsolutePath().normalize().resolve(DIRECTORY).resolve(FILE);
    }

    /**
     * Writes a file with one new random key if the file does not exist.
     *
     * @param file the credentials file.
     * @throws IOException if it cannot be written.
     */
    static void generateIfAbsent(final Path file) throws IOException
    {
        if (Files.exists(file))
        {
            return;
        }
        Files.createDirectories(file.getParent());
        final SecureRandom random = new SecureRandom();
        final String id = "RFS" + randomText(random, UPPER, ACCESS_KEY_LENGTH - 3);
        final String secret = randomText(random, SECRET_ALPHABET, SECRET_LENGTH);
        ClusterDirectory.writePrivate(file, "# rfs gateway access keys: ACCESS_KEY_ID=SECRET_ACCESS_KEY\n" +
            id + "=" + secret + "\n");
    }

    /**
     * @param file a credentials file.
     * @return access key ids to secrets, in file order.
     * @throws IOException {@link InvalidInputException} if it is missing, unreadable or holds no key.
     */
    static Map<String, String> load(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new InvalidInputException("credentials file " + file + " does not exist");
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        final Map<String, String> keys = new LinkedHashMap<>();
        for (final String id : properties.stringPropertyNames())
        {
            final String secret = properties.getProperty(id).trim();
            if (id.isBlank() || secret.isEmpty())
            {
                throw new InvalidInputException("credentials file " + file + ": the key '" + id + "' has no secret");
            }
            keys.put(id.trim(), secret);
        }
        if (keys.isEmpty())
        {
            throw new InvalidInputException("credentials file " + file + " holds no ACCESS_KEY_ID=SECRET line");
        }
        return keys;
    }

    private static String randomText(final SecureRandom random, final String alphabet, final int length)
    {
        final StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
