package io.rfs.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileNameTest
{
    @ParameterizedTest
    @ValueSource(strings = {"a", "docs/report.pdf", "dir/", "a//b", "..a", "a..", ".hidden", "名前/ファイル", "a b"})
    void shouldAcceptPortableNames(final String name) throws Exception
    {
        assertThat(FileName.validate(name)).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/./b", "a/../b", "../x", "x/..", "/.."})
    void shouldRejectEmptyAndDotSegments(final String name)
    {
        assertThatThrownBy(() -> FileName.validate(name)).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void shouldRejectNul()
    {
        assertThatThrownBy(() -> FileName.validate("a\0b"))
            .isInstanceOf(InvalidNameException.class).hasMessageContaining("NUL");
    }

    @Test
    void shouldAcceptExactly1024BytesAndRejectMore() throws Exception
    {
        assertThat(FileName.validate("x".repeat(1024))).hasSize(1024);
        assertThatThrownBy(() -> FileName.validate("x".repeat(1025)))
            .isInstanceOf(InvalidNameException.class).hasMessageContaining("1025 bytes");
        // 342 three-byte characters = 1026 bytes although only 342 chars
        assertThatThrownBy(() -> FileName.validate("語".repeat(342))).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void shouldRejectLoneSurrogate()
    {
        assertThatThrownBy(() -> FileName.validate("a\uD800b")).isInstanceOf(InvalidNameException.class);
    }
}
