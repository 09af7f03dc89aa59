package io.rfs.replication.ring;

import io.rfs.store.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RingPlannerTest
{
    @Test
    void shouldReportBalanceOfAPlannedCluster()
    {
        final RingPlanReport report = new RingPlanner().nodes(6).vnodes(64).plan();

        assertThat(report.rows()).hasSize(6);
        assertThat(report.change()).isNull();
        assertThat(report.tokenCount()).isEqualTo(6 * 64);
        assertThat(report.rows().stream().mapToDouble(RingPlanReport.NodeRow::replicaShare).sum())
            .isCloseTo(1.0, within(1e-9));
        assertThat(report.rows().stream().mapToDouble(RingPlanReport.NodeRow::primaryShare).sum())
            .isCloseTo(1.0, within(1e-9));
        assertThat(report.rows()).allSatisfy(row ->
        {
            assertThat(row.idealShare()).isCloseTo(1.0 / 6, within(1e-9));
            assertThat(row.vnodes()).isEqualTo(64);
            assertThat(row.address()).isEqualTo("node-" + row.id() + ":7000");
        });
        assertThat(report.maxLoadOverMean()).isLessThan(1.05);
        assertThat(report.toText()).contains("maxLoadOverMean").contains("deviation");
    }

    @Test
    void shouldReportWhatAddingANodeMoves()
    {
        final RingPlanReport report = new RingPlanner().nodes(9).vnodes(64).zones(3).add(1).plan();
        final RingPlanReport.Change change = report.change();

        assertThat(change.added()).containsExactly(10);
        assertThat(change.idealFraction()).as("zone z1 goes from 3 nodes to 4, each holding a quarter of a third")
            .isCloseTo(1.0 / 12, within(1e-9));
        assertThat(change.movedOverIdeal()).isLessThanOrEqualTo(1.1);
        assertThat(change.otherMoves()).isZero();
        assertThat(change.moves()).allSatisfy(move -> assertThat(move.to()).isEqualTo(10));
        assertThat(change.moves().stream().mapToDouble(RingPlanReport.PairMove::fraction).sum())
            .isCloseTo(change.movedFraction(), within(1e-9));
        assertThat(change.primaryMoveFraction() + change.replicaShiftFraction())
            .isCloseTo(change.movedFraction(), within(1e-9));
        assertThat(change.replicaShifts()).isPositive();
        assertThat(report.rows()).hasSize(10);
        assertThat(report.rows().get(9).zone()).isEqualTo("z1");
        assertThat(report.zoneViolationFraction()).isZero();
        assertThat(report.toText()).contains("change: add [10]").contains("-> 10");
    }

    @Test
    void shouldReportWhatRemovingANodeMoves()
    {
        final RingPlanReport.Change change = new RingPlanner().nodes(8).vnodes(64).remove(3).plan().change();

        assertThat(change.removed()).containsExactly(3);
        assertThat(change.idealFraction()).isCloseTo(1.0 / 8, within(1e-9));
        assertThat(change.movedOverIdeal()).isLessThanOrEqualTo(1.1);
        assertThat(change.moves()).allSatisfy(move -> assertThat(move.from()).isEqualTo(3));
    }

    @Test
    void shouldGiveAJsonFriendlyStructure()
    {
        final Map<String, Object> map = new RingPlanner().nodes(5).vnodes(16).weights(1, 2, 1, 1, 0.5).add(1)
            .plan().toMap();

        assertThat(map).containsKeys("maxLoadOverMean", "movedFraction", "idealFraction", "nodes", "change");
        assertThat(map.get("maxLoadOverMean")).isInstanceOf(Double.class);
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> nodes = (List<Map<String, Object>>)map.get("nodes");
        assertThat(nodes).hasSize(6);
        assertThat(nodes.get(1)).containsEntry("id", 2).containsEntry("weight", 2.0).containsEntry("vnodes", 32);
        assertThat(nodes.get(4)).containsEntry("vnodes", 8);
        @SuppressWarnings("unchecked")
        final Map<String, Object> change = (Map<String, Object>)map.get("change");
        assertThat(change).containsEntry("added", List.of(6)).containsKeys("moves", "replicaShifts");
    }

    @Test
    void shouldReportRealRings()
    {
        final Ring before = Rings.equalNodes(5, 32, 3, 0);
        final Ring after = before.withWeight(2, 200);

        final RingPlanReport report = RingPlanner.report(before, after);

        assertThat(report.change().reweighted()).containsExactly(2);
        assertThat(report.change().moves()).allSatisfy(move -> assertThat(move.to()).isEqualTo(2));
        assertThat(report.ringVersion()).isEqualTo(after.version());
    }

    @Test
    void shouldRefuseSettingsOutOfRange()
    {
        assertThatThrownBy(() -> new RingPlanner().nodes(0).plan()).isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith("nodes=0");
        assertThatThrownBy(() -> new RingPlanner().vnodes(0).plan()).hasMessageStartingWith("vnodes=0");
        assertThatThrownBy(() -> new RingPlanner().replicationFactor(16).plan()).hasMessageStartingWith("rf=16");
        assertThatThrownBy(() -> new RingPlanner().nodes(3).weights(1, 2).plan())
            .hasMessageStartingWith("weights=[1.0, 2.0]");
        assertThatThrownBy(() -> new RingPlanner().weights(0).plan()).hasMessageStartingWith("weights=0.0");
        assertThatThrownBy(() -> new RingPlanner().nodes(3).remove(4).plan()).hasMessageStartingWith("remove=4");
        assertThatThrownBy(() -> new RingPlanner().nodes(2).remove(1, 2).plan())
            .hasMessageContaining("would leave no node");
        assertThatThrownBy(() -> new RingPlanner().zones(-1).plan()).hasMessageStartingWith("zones=-1");
    }
}
