package io.rfs.tools;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration option: a whole number with a unit, {@code 500ms}, {@code 10s}, {@code 2m}, or a number alone
 * for seconds. A bad value, or one not above zero, is a usage error (exit 2).
 */
final class DurationConverter implements ITypeConverter<Duration>
{
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    /**
     * As {@link DurationConverter}, with 0 allowed, for settings where 0 turns something off.
     */
    static final class OrZero implements ITypeConverter<Duration>
    {
        @Override
        public Duration convert(final String text)
        {
            return parse(text);
        }
    }

    @Override
    public Duration convert(final String text)
    {
        final Duration duration = parse(text);
        if (duration.isZero())
        {
            throw new TypeConversionException("duration=" + text + ", must be above 0");
        }
        return duration;
    }

    private static Duration parse(final String text)
    {
        final Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches())
        {
            throw new TypeConversionException("duration=" + text + ", expected e.g. 500ms, 10s, 2m or 1h");
        }
        final long amount = Long.parseLong(matcher.group(1));
        final String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        final Duration duration;
        switch (unit)
        {
            case "ms":
                duration = Duration.ofMillis(amount);
                break;
            case "m":
                duration = Duration.ofMinutes(amount);
                break;
            case "h":
                duration = Duration.ofHours(amount);
                break;
            default:
                duration = Duration.ofSeconds(amount);
                break;
        }
        return duration;
    }
}
