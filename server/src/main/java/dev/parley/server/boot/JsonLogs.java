package dev.parley.server.boot;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;

/**
 * With PARLEY_LOG_JSON=true the console log is one JSON object per line (time, level, logger, message, exception,
 * and the call's request_id), for Kubernetes log collectors: {@link JsonLogFormatter} is put on the console
 * handlers at start; text stays the default for people reading a terminal.
 */
@ApplicationScoped
class JsonLogs {

    void useJson(@Observes StartupEvent start, @ConfigProperty(name = "parley.log.json") boolean json) {
        if (json) {
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                format(handler);
            }
        }
    }

    private static void format(Handler handler) {
        if (handler instanceof ExtHandler parent && parent.getHandlers().length > 0) {
            for (Handler child : parent.getHandlers()) {
                format(child);
            }
        } else {
            handler.setFormatter(new JsonLogFormatter());
        }
    }
}
