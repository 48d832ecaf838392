package dev.parley.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrpcTimeoutTest {

    @Test
    void everyUnitOfTheSpecIsRead() {
        assertThat(GrpcTimeout.millis("2H")).isEqualTo(7_200_000);
        assertThat(GrpcTimeout.millis("3M")).isEqualTo(180_000);
        assertThat(GrpcTimeout.millis("15S")).isEqualTo(15_000);
        assertThat(GrpcTimeout.millis("700m")).isEqualTo(700);
        assertThat(GrpcTimeout.millis("2500u")).isEqualTo(2);
        assertThat(GrpcTimeout.millis("10n")).as("never zero: a deadline that has passed").isEqualTo(1);
    }

    @Test
    void absentOrMalformedHeadersMeanNoDeadline() {
        assertThat(GrpcTimeout.millis(null)).isEqualTo(-1);
        assertThat(GrpcTimeout.millis("S")).isEqualTo(-1);
        assertThat(GrpcTimeout.millis("12x")).isEqualTo(-1);
        assertThat(GrpcTimeout.millis("-5S")).isEqualTo(-1);
        assertThat(GrpcTimeout.millis("123456789S")).as("more than 8 digits").isEqualTo(-1);
    }
}
