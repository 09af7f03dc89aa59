package io.rfs.replication.ring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RingDiffTest
{
    @Test
    void shouldBeEmptyBetweenARingAndItself()
    {
        final Ring ring = Rings.equalNodes(5, 16, 3, 0);

        assertThat(RingDiff.between(ring, ring).isEmpty()).isTrue();
        assertThat(ring.diff(ring).movedFraction()).isZero();
    }

    @Test
    void shouldCopyEverythingToTheFirstNode()
    {
        final Ring empty = Ring.empty(3, 4);
        final Ring one = empty.withNode(Rings.node(1));

        final RingDiff diff = RingDiff.between(empty, one);

        assertThat(diff.copiedFraction()).isCloseTo(1.0, within(1e-12));
        assertThat(diff.movedFraction()).isCloseTo(1.0, within(1e-12));
        for (final RangeMove move : diff.moves())
        {
            assertThat(move.from()).isEmpty();
            assertThat(move.to()).containsExactly(1);
            assertThat(move.joined()).containsExactly(1);
        }
    }

    @Test
    void shouldMoveDataOnlyToAnAddedNodeAndFromARemovedOne()
    {
        final Ring ring = Rings.equalNodes(8, 32, 3, 0);
        final RingDiff add = ring.diff(ring.withNode(Rings.node(9)));
        final RingDiff remove = ring.diff(ring.withoutNode(4));

        assertThat(add.moves()).allSatisfy(move ->
        {
            assertThat(move.joined()).containsExactly(9);
            assertThat(move.left()).hasSize(1);
        });
        assertThat(remove.moves()).allSatisfy(move ->
        {
            assertThat(move.left()).containsExactly(4);
            assertThat(move.joined()).hasSize(1).doesNotContain(4);
        });
        assertThat(add.copiedFraction()).isCloseTo(RingLoads.of(ring.withNode(Rings.node(9))).replica()[8],
            within(1e-12));
    }

    @Test
    void shouldDescribeRangesWithWrapAround()
    {
        final RangeMove move = new RangeMove(-16, 16, new int[]{ 1 }, new int[]{ 2 });

        assertThat(move.contains(0)).isTrue();
        assertThat(move.contains(16)).isTrue();
        assertThat(move.contains(-16)).isFalse();
        assertThat(move.contains(17)).isFalse();
        assertThat(move.width()).isEqualTo(32);
        assertThat(new RangeMove(5, 5, new int[0], new int[]{ 1 }).fraction()).isEqualTo(1.0);
        assertThat(move.toString()).isEqualTo("(0xfffffffffffffff0, 0x0000000000000010] [1] -> [2]");
    }
}
