package io.rfs.replication.repair;

import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntArrayList;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SurplusCopiesTest
{
    private static final int OWNERS = 3;
    private static final int ALL_OWNERS = 0b0111;
    private static final int HOLDER = 0b1000;

    @Test
    void shouldDropFromAHolderOnlyWhatEveryOwnerHoldsUnquarantined()
    {
        assertThat(SurplusCopies.toDrop(ALL_OWNERS | HOLDER, 0, OWNERS)).isEqualTo(HOLDER);
        assertThat(SurplusCopies.toDrop(0b0011 | HOLDER, 0, OWNERS)).as("an owner lacks it").isZero();
        assertThat(SurplusCopies.toDrop(ALL_OWNERS | HOLDER, 0b0001, OWNERS)).as("an owner quarantined it").isZero();
        assertThat(SurplusCopies.toDrop(ALL_OWNERS, 0, OWNERS)).as("no holder").isZero();
    }

    @Test
    void shouldCopyToTheOwnersThatLackWhatAHolderHas()
    {
        assertThat(SurplusCopies.toCopy(0b0101 | HOLDER, 0, OWNERS)).isEqualTo(0b0010);
        assertThat(SurplusCopies.toCopy(HOLDER, 0, OWNERS)).as("only the holder has it").isEqualTo(ALL_OWNERS);
        assertThat(SurplusCopies.toCopy(0b0101, 0, OWNERS)).as("no holder has it").isZero();
        assertThat(SurplusCopies.toCopy(ALL_OWNERS | HOLDER, 0, OWNERS)).isZero();
    }

    @Test
    void shouldSweepARangeOnlyWhenEveryOwnerAnsweredWithEqualDigestsAndNothingQuarantined()
    {
        Ring ring = Ring.empty(3, 4);
        final Int2IntHashMap slotOf = new Int2IntHashMap(-1);
        for (int id = 1; id <= 4; id++)
        {
            ring = ring.withNode(RingNode.of(id, "127.0.0.1:" + (7000 + id)));
            slotOf.put(id, id - 1);
        }
        final int range = 0;
        final int[] replicas = new int[Ring.MAX_REPLICATION_FACTOR];
        ring.replicasAt(range, replicas);
        int holderSlot = -1;
        for (int slot = 0; slot < 4; slot++)
        {
            if (slot + 1 != replicas[0] && slot + 1 != replicas[1] && slot + 1 != replicas[2])
            {
                holderSlot = slot;
            }
        }
        final boolean[][] answered = new boolean[4][ring.tokenCount()];
        final long[][] digests = new long[4][ring.tokenCount() * 4];
        for (int slot = 0; slot < 4; slot++)
        {
            answered[slot][range] = true;
            digests[slot][range * 4] = 11;
            digests[slot][range * 4 + 1] = 12;
            digests[slot][range * 4 + 2] = 5;
        }
        final IntArrayList holders = new IntArrayList();

        assertThat(SurplusCopies.settledWithHolders(ring, range, replicas, slotOf, answered, digests, holders))
            .isEqualTo(3);
        assertThat(holders).containsExactly(holderSlot);

        digests[holderSlot][range * 4 + 2] = 0;
        assertThat(SurplusCopies.settledWithHolders(ring, range, replicas, slotOf, answered, digests, holders))
            .as("the other node holds nothing there").isZero();
        digests[holderSlot][range * 4 + 2] = 5;

        final int owner = slotOf.get(replicas[1]);
        answered[owner][range] = false;
        assertThat(SurplusCopies.settledWithHolders(ring, range, replicas, slotOf, answered, digests, holders))
            .as("an owner did not answer").isZero();
        answered[owner][range] = true;

        digests[owner][range * 4 + 1] = 13;
        assertThat(SurplusCopies.settledWithHolders(ring, range, replicas, slotOf, answered, digests, holders))
            .as("the owners differ").isZero();
        digests[owner][range * 4 + 1] = 12;

        digests[owner][range * 4 + 3] = 1;
        assertThat(SurplusCopies.settledWithHolders(ring, range, replicas, slotOf, answered, digests, holders))
            .as("an owner holds a quarantined id").isZero();
    }
}
