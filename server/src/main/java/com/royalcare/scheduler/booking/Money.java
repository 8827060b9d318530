package com.royalcare.scheduler.booking;

import com.fasterxml.jackson.annotation.JsonValue;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** An exact amount in the business currency, held as whole cents; shown as a decimal with two places. */
public record Money(long cents) {

    /** The largest amount accepted (ten million), far above any visit, far below overflow. */
    static final long MAX_CENTS = 1_000_000_000L;
    public static final Money ZERO = new Money(0);

    public Money {
        if (cents < 0 || cents > MAX_CENTS) throw new IllegalArgumentException("amount out of range");
    }

    /** Parses a decimal with at most two decimals; anything else (more places, negative, huge) is refused. */
    public static Money of(BigDecimal amount) {
        if (amount == null) throw new IllegalArgumentException("no amount");
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > 2) throw new IllegalArgumentException("more than two decimals");
        if (amount.signum() < 0) throw new IllegalArgumentException("negative");
        BigDecimal cents = amount.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY);
        if (cents.compareTo(BigDecimal.valueOf(MAX_CENTS)) > 0) throw new IllegalArgumentException("too large");
        return new Money(cents.longValueExact());
    }

    public static Money of(String amount) {
        return of(new BigDecimal(amount));
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(cents, other.cents));
    }

    @JsonValue
    public BigDecimal amount() {
        return BigDecimal.valueOf(cents, 2);
    }

    @Override
    public String toString() {
        return amount().toPlainString();
    }
}
