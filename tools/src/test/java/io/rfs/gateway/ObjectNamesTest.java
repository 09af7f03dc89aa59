package io.rfs.gateway;

import io.rfs.store.FileName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class ObjectNamesTest
{
    @ParameterizedTest
    @ValueSource(strings = {"a", ".", "..", "a/./b", "../x", "a/..", "%", "%2E", "100%/..%/...", "a\0b", "/lead//x/",
        "ключ/значение", "a/.../b", "./.", "%25"})
    void shouldMapEveryKeyToAValidNameThatMapsBack(final String key) throws Exception
    {
        final String name = ObjectNames.objectName("bucket", key);

        FileName.validate(name);
        assertThat(name).startsWith(ObjectNames.objectPrefix("bucket"));
        assertThat(ObjectNames.keyOf("bucket", name)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldNeverMapTwoRandomKeysToOneName(final long seed) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final String alphabet = "./%0E2a\0";
        final java.util.Map<String, String> keysByName = new java.util.HashMap<>();
        for (int i = 0; i < 20_000; i++)
        {
            final StringBuilder key = new StringBuilder();
            final int length = 1 + random.nextInt(8);
            for (int j = 0; j < length; j++)
            {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            final String name = ObjectNames.objectName("b-1", key.toString());
            FileName.validate(name);
            final String earlier = keysByName.putIfAbsent(name, key.toString());
            if (earlier != null && !earlier.equals(key.toString()))
            {
                fail("seed " + seed + ": keys '" + earlier + "' and '" + key + "' share the name " + name);
            }
            assertThat(ObjectNames.keyOf("b-1", name)).as("seed %d", seed).isEqualTo(key.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Bucket", "a_b", "-ab", "ab-", "a..b", "a/b"})
    void shouldRefuseBucketNamesS3Refuses(final String bucket)
    {
        assertThatThrownBy(() -> ObjectNames.checkBucket(bucket)).isInstanceOfSatisfying(S3Exception.class,
            ex -> assertThat(ex.error()).isEqualTo(S3Error.INVALID_BUCKET_NAME));
    }

    @ParameterizedTest
    @ValueSource(ints = {1015, 1024, 1025})
    void shouldRefuseKeysWhoseNameWouldBeTooLong(final int keyBytes)
    {
        assertThatThrownBy(() -> ObjectNames.objectName("bucket", "k".repeat(keyBytes)))
            .isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.error()).isEqualTo(S3Error.KEY_TOO_LONG));
    }
}
