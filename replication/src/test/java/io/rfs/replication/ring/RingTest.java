package io.rfs.replication.ring;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.manifest.ManifestStore;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static io.rfs.replication.ring.Rings.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RingTest
{
    @Test
    void shouldHaveNoReplicasWhenEmpty()
    {
        final Ring ring = Ring.empty();

        assertThat(ring.version()).isZero();
        assertThat(ring.replicationFactor()).isEqualTo(Ring.DEFAULT_REPLICATION_FACTOR);
        assertThat(ring.vnodes()).isEqualTo(Ring.DEFAULT_VNODES);
        assertThat(ring.replicas(42, new int[3])).isZero();
        assertThat(ring.primary(42)).isEqualTo(-1);
        assertThat(ring.tokenIndex(42)).isEqualTo(-1);
    }

    @Test
    void shouldPutEveryKeyOnTheOnlyNode()
    {
        final Ring ring = Ring.empty(3, 8).withNode(node(7));
        final int[] replicas = new int[3];

        assertThat(ring.version()).isEqualTo(1);
        assertThat(ring.tokenCount()).isEqualTo(8);
        assertThat(ring.replicaCount()).isEqualTo(1);
        for (final long position : new long[]{ 0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE })
        {
            assertThat(ring.replicas(position, replicas)).isEqualTo(1);
            assertThat(replicas[0]).isEqualTo(7);
        }
    }

    @Test
    void shouldOwnEachPositionByTheFirstTokenAtOrAfterIt()
    {
        final Ring ring = Rings.equalNodes(7, 64, 3, 0);
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++)
        {
            final long position = random.nextLong();
            assertThat(ring.tokenIndex(position)).isEqualTo(Rings.referenceTokenIndex(ring, position));
        }
        for (int i = 0; i < ring.tokenCount(); i++)
        {
            final long token = ring.token(i);
            assertThat(ring.tokenIndex(token)).isEqualTo(i);
            assertThat(ring.tokenIndex(token + 1)).isEqualTo(Rings.referenceTokenIndex(ring, token + 1));
            assertThat(ring.tokenIndex(token - 1)).isEqualTo(Rings.referenceTokenIndex(ring, token - 1));
        }
        assertThat(ring.tokenIndex(ring.token(ring.tokenCount() - 1) + 1)).isZero();
        assertThat(ring.tokenIndex(-1L)).isEqualTo(Rings.referenceTokenIndex(ring, -1L));
        assertThat(ring.tokenIndex(0L)).isZero();
    }

    @Test
    void shouldKeepTokensInAscendingUnsignedOrder()
    {
        final Ring ring = Rings.equalNodes(12, 32, 3, 0);
        for (int i = 1; i < ring.tokenCount(); i++)
        {
            assertThat(Long.compareUnsigned(ring.token(i - 1), ring.token(i))).isNegative();
        }
    }

    @Test
    void shouldPickReplicasByTheRuleForEveryToken()
    {
        for (final int zones : new int[]{ 0, 2, 3, 5 })
        {
            final Ring ring = Rings.equalNodes(9, 16, 3, zones);
            final int[] replicas = new int[3];
            for (int i = 0; i < ring.tokenCount(); i++)
            {
                final int n = ring.replicasAt(i, replicas);
                assertThat(java.util.Arrays.copyOf(replicas, n))
                    .as("zones=%d token %d", zones, i)
                    .containsExactly(Rings.referenceReplicas(ring, i));
            }
        }
    }

    @Test
    void shouldGiveTheOwnerAsFirstReplicaAndDistinctNodes()
    {
        final Ring ring = Rings.equalNodes(6, 32, 3, 0);
        final int[] replicas = new int[3];
        for (int i = 0; i < ring.tokenCount(); i++)
        {
            assertThat(ring.replicasAt(i, replicas)).isEqualTo(3);
            assertThat(replicas[0]).isEqualTo(ring.tokenOwner(i));
            assertThat(replicas).doesNotHaveDuplicates();
            assertThat(ring.primary(ring.token(i))).isEqualTo(ring.tokenOwner(i));
        }
    }

    @Test
    void shouldSpreadOverAllZonesWhenThereAreFewerThanN()
    {
        final Ring ring = Rings.equalNodes(8, 32, 3, 2);
        final int[] replicas = new int[3];
        for (int i = 0; i < ring.tokenCount(); i++)
        {
            ring.replicasAt(i, replicas);
            final long zonesUsed = java.util.Arrays.stream(replicas).mapToObj(id -> ring.node(id).zone()).distinct()
                .count();
            assertThat(zonesUsed).as("token %d", i).isEqualTo(2);
        }
    }

    @Test
    void shouldUseFewerReplicasThanNWithFewerNodes()
    {
        final Ring ring = Rings.equalNodes(2, 16, 3, 0);
        final int[] replicas = new int[3];

        assertThat(ring.replicaCount()).isEqualTo(2);
        assertThat(ring.replicas(123, replicas)).isEqualTo(2);
        assertThat(Rings.sorted(java.util.Arrays.copyOf(replicas, 2))).containsExactly(1, 2);
    }

    @Test
    void shouldPlaceChunksByIdPrefixAndManifestsByNameDigest()
    {
        final byte[] digest = Sha256.digest("chunk".getBytes(StandardCharsets.UTF_8));
        final ChunkId id = ChunkId.of(digest);

        assertThat(Ring.chunkPosition(id)).isEqualTo(id.prefix());
        final byte[] key = ManifestStore.nameKey("docs/report.pdf");
        final long expected = ChunkId.of(key).prefix();
        assertThat(Ring.manifestPosition("docs/report.pdf")).isEqualTo(expected);
        assertThat(key).isEqualTo(Sha256.digest("docs/report.pdf".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldNotAllocateOnLookup()
    {
        final Ring ring = Rings.equalNodes(10, 64, 3, 0);
        final int[] replicas = new int[3];
        final long[] positions = new long[1024];
        final SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < positions.length; i++)
        {
            positions[i] = random.nextLong();
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long sum = lookUp(ring, positions, replicas);
        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int round = 0; round < 100; round++)
        {
            sum += lookUp(ring, positions, replicas);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated).as("bytes allocated by 102400 lookups (sum %d)", sum).isZero();
    }

    private static long lookUp(final Ring ring, final long[] positions, final int[] replicas)
    {
        long sum = 0;
        for (final long position : positions)
        {
            sum += ring.replicas(position, replicas) + replicas[0] + ring.primary(position);
        }
        return sum;
    }

    @Test
    void shouldLeaveOtherNodesTokensAloneWhenAddingAndRemoving()
    {
        final Ring before = Rings.equalNodes(6, 32, 3, 0);
        final Ring added = before.withNode(node(7));
        final Ring removed = added.withoutNode(3);

        for (final RingNode node : before.nodes())
        {
            assertThat(added.tokensOf(node.id())).containsExactly(before.tokensOf(node.id()));
        }
        assertThat(added.tokensOf(7)).hasSize(32);
        assertThat(removed.contains(3)).isFalse();
        for (final RingNode node : removed.nodes())
        {
            assertThat(removed.tokensOf(node.id())).containsExactly(added.tokensOf(node.id()));
        }
        assertThat(removed.tokenCount()).isEqualTo(added.tokenCount() - 32);
        assertThat(added.version()).isEqualTo(before.version() + 1);
        assertThat(removed.version()).isEqualTo(added.version() + 1);
    }

    @Test
    void shouldReturnToTheSameRingWhenANodeIsAddedAndRemoved()
    {
        final Ring before = Rings.equalNodes(6, 32, 3, 0);
        final Ring after = before.withNode(node(7)).withoutNode(7);

        for (int i = 0; i < before.tokenCount(); i++)
        {
            assertThat(after.token(i)).isEqualTo(before.token(i));
            assertThat(after.tokenOwner(i)).isEqualTo(before.tokenOwner(i));
        }
        assertThat(RingDiff.between(before, after).isEmpty()).isTrue();
    }

    @Test
    void shouldChangeOnlyTheNodesTokensWithItsWeight()
    {
        final Ring before = Rings.equalNodes(8, 32, 3, 0);
        final Ring heavier = before.withWeight(4, 200);
        final Ring lighter = heavier.withWeight(4, 50);

        assertThat(heavier.node(4).weight()).isEqualTo(200);
        assertThat(heavier.tokensOf(4)).hasSize(64).contains(before.tokensOf(4));
        assertThat(lighter.tokensOf(4)).hasSize(16);
        assertThat(heavier.tokensOf(4)).contains(lighter.tokensOf(4));
        for (final RingNode node : before.nodes())
        {
            if (node.id() != 4)
            {
                assertThat(heavier.tokensOf(node.id())).containsExactly(before.tokensOf(node.id()));
                assertThat(lighter.tokensOf(node.id())).containsExactly(before.tokensOf(node.id()));
            }
        }
    }

    @Test
    void shouldKeepTokensWhenOnlyTheAddressChanges()
    {
        final Ring before = Rings.equalNodes(4, 16, 3, 0);
        final Ring after = before.withAddress(2, "10.1.2.3:7001");

        assertThat(after.node(2).address()).isEqualTo("10.1.2.3:7001");
        assertThat(after.version()).isEqualTo(before.version() + 1);
        assertThat(RingDiff.between(before, after).isEmpty()).isTrue();
    }

    @Test
    void shouldBuildTheSameRingFromTheSameHistory()
    {
        final Ring a = Rings.equalNodes(12, 64, 3, 3).withoutNode(5).withWeight(7, 150);
        final Ring b = Rings.equalNodes(12, 64, 3, 3).withoutNode(5).withWeight(7, 150);

        assertThat(a).isEqualTo(b);
        assertThat(RingCodec.encode(a)).isEqualTo(RingCodec.encode(b));
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
    }

    @Test
    void shouldAddABatchInIdOrderWhateverOrderItIsGivenIn()
    {
        final Ring base = Rings.equalNodes(4, 32, 3, 0);
        final List<RingNode> batch = new ArrayList<>();
        for (int id = 5; id <= 9; id++)
        {
            batch.add(node(id));
        }
        final Ring sequential = base.withNode(node(5)).withNode(node(6)).withNode(node(7)).withNode(node(8))
            .withNode(node(9));
        final List<RingNode> shuffled = new ArrayList<>(batch);
        Collections.reverse(shuffled);

        final Ring inOrder = base.withNodes(batch);
        final Ring reversed = base.withNodes(shuffled);

        assertThat(reversed).isEqualTo(inOrder);
        assertThat(inOrder.version()).isEqualTo(base.version() + 1);
        for (int i = 0; i < sequential.tokenCount(); i++)
        {
            assertThat(inOrder.token(i)).isEqualTo(sequential.token(i));
            assertThat(inOrder.tokenOwner(i)).isEqualTo(sequential.tokenOwner(i));
        }
    }

    @Test
    void shouldRejectBadChanges()
    {
        final Ring ring = Rings.equalNodes(3, 8, 3, 0);

        assertThatThrownBy(() -> ring.withNode(node(2))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("id=2");
        assertThatThrownBy(() -> ring.withNodes(List.of(node(9), node(9))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id=9");
        assertThatThrownBy(() -> ring.withoutNode(4)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("id=4");
        assertThatThrownBy(() -> ring.withWeight(1, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("weight=0");
        assertThatThrownBy(() -> Ring.empty(0, 256)).hasMessageContaining("replicationFactor=0");
        assertThatThrownBy(() -> Ring.empty(3, 5000)).hasMessageContaining("vnodes=5000");
        assertThatThrownBy(() -> Ring.empty(1, 4096).withNodes(List.of(node(1, RingNode.MAX_WEIGHT, "a"),
            node(2, RingNode.MAX_WEIGHT, "a"), node(3, RingNode.MAX_WEIGHT, "a"))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokens=1228800");
    }

    @Test
    void shouldGiveTokensInProportionToWeight()
    {
        final Ring ring = Ring.empty(3, 256).withNode(node(1, 100, "a")).withNode(node(2, 50, "a"))
            .withNode(node(3, 150, "a")).withNode(node(4, 1, "a"));

        assertThat(ring.tokensOf(1)).hasSize(256);
        assertThat(ring.tokensOf(2)).hasSize(128);
        assertThat(ring.tokensOf(3)).hasSize(384);
        assertThat(ring.tokensOf(4)).hasSize(3);
        assertThat(ring.vnodesFor(1)).isEqualTo(3);
        assertThat(Ring.empty(3, 16).vnodesFor(1)).isEqualTo(1);
    }

    @Test
    void shouldPrintATextFormForOperators()
    {
        final Ring ring = Rings.equalNodes(3, 4, 3, 2);

        final String text = ring.toText(true);

        assertThat(text).startsWith("ring version 3, N=3, vnodes=4, 3 nodes in 2 zones, 12 tokens, fingerprint 0x");
        assertThat(text).contains("node-2:7000").contains("z2").contains("tokens\n");
        assertThat(text.lines().filter(line -> line.startsWith("  0x")).count()).isEqualTo(12);
        assertThat(ring.toText()).doesNotContain("tokens\n");
    }
}
