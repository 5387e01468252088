package dev.kindemcp.bridge.kinde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** What the log says when Kinde cannot be used: the URL tried and the root cause, not only the reason. */
class KindeUpstreamExceptionTest {

    @Test
    void describeWhenCauseChainThenReasonUrlAndRootCause() {
        KindeUpstreamException e = new KindeUpstreamException(KindeUpstreamException.Reason.UNREACHABLE,
                "Kinde at http://127.0.0.1:1/oauth2/token could not be reached in time",
                new IOException("wrapped", new ConnectException("Connection refused")));
        assertEquals("UNREACHABLE: Kinde at http://127.0.0.1:1/oauth2/token could not be reached in time "
                + "(ConnectException: Connection refused)", e.describe());
    }

    @Test
    void describeWhenNoCauseThenReasonAndMessage() {
        assertEquals("MISCONFIGURED: names another issuer", new KindeUpstreamException(
                KindeUpstreamException.Reason.MISCONFIGURED, "names another issuer").describe());
    }
}
