package io.rfs.replication.sim;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultKindTest
{
    @Test
    void shouldParseLabelsAllAndNone()
    {
        assertThat(FaultKind.parse("crash, force-failure")).containsExactly(FaultKind.CRASH, FaultKind.FORCE_FAILURE);
        assertThat(FaultKind.parse("all")).isEqualTo(EnumSet.allOf(FaultKind.class));
        assertThat(FaultKind.parse("none")).isEmpty();
    }

    @Test
    void shouldNameTheUnknownLabel()
    {
        assertThatThrownBy(() -> FaultKind.parse("loss,meteor"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("fault=meteor is not one of");
    }
}
