package io.rfs.replication.repair;

import io.rfs.store.chunk.ChunkId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ReclaimCandidatesTest
{
    private final SplittableRandom random = new SplittableRandom(100);
    private final ReclaimCandidates candidates = new ReclaimCandidates();

    @Test
    void shouldKeepOneEntryPerIdAndRememberWhichNodesListedIt()
    {
        candidates.reset(3);
        final ChunkId a = randomId();
        final ChunkId b = randomId();
        candidates.add(0, a);
        candidates.add(2, a);
        candidates.add(2, b);

        assertThat(candidates.size()).isEqualTo(2);
        assertThat(candidates.listedBy(0).size()).isEqualTo(1);
        assertThat(candidates.id(candidates.listedBy(0).getInt(0))).isEqualTo(a);
        assertThat(candidates.listedBy(1).size()).isZero();
        assertThat(candidates.id(candidates.listedBy(2).getInt(1))).isEqualTo(b);
    }

    @Test
    void shouldTakeOutTheCandidateAManifestReferencesByItsPrefix()
    {
        candidates.reset(1);
        final ChunkId a = randomId();
        final ChunkId b = randomId();
        candidates.add(0, a);
        candidates.add(0, b);
        final UnsafeBuffer manifestIds = new UnsafeBuffer(new byte[64]);
        a.write(manifestIds, 32);

        candidates.reference(manifestIds, 32);

        assertThat(candidates.isReferenced(candidates.listedBy(0).getInt(0))).isTrue();
        assertThat(candidates.isReferenced(candidates.listedBy(0).getInt(1))).isFalse();
    }

    @Test
    void shouldLeaveOutASecondIdSharingACandidatesPrefixSoItIsOnlyKeptLonger()
    {
        candidates.reset(1);
        final ChunkId a = randomId();
        final byte[] bytes = a.toBytes();
        bytes[31] ^= 1;
        candidates.add(0, a);
        candidates.add(0, ChunkId.of(bytes));

        assertThat(candidates.size()).isEqualTo(1);
        assertThat(candidates.listedBy(0).size()).isEqualTo(1);
    }

    @Test
    void shouldGrowPastItsFirstArrays()
    {
        candidates.reset(1);
        for (int i = 0; i < 5_000; i++)
        {
            candidates.add(0, randomId());
        }
        final ChunkId last = randomId();
        candidates.add(0, last);

        assertThat(candidates.size()).isEqualTo(5_001);
        assertThat(candidates.id(5_000)).isEqualTo(last);
    }

    private ChunkId randomId()
    {
        final byte[] bytes = new byte[ChunkId.LENGTH];
        random.nextBytes(bytes);
        return ChunkId.of(bytes);
    }
}
