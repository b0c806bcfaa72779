package io.hybridstore.storagenode.api;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps hostile paths inside the JSON error contract.
 * <ul>
 *   <li>An encoded slash or backslash ({@code %2F}, {@code %5C}) is passed through to Spring MVC still encoded.
 *       Tomcat's default rejects such paths before any application code runs; decoding them instead would turn
 *       {@code /blobs/..%2F..%2Fetc%2Fpasswd} into a different path. Passed through, it is one path segment and
 *       fails blob-id validation with a JSON 400.</li>
 *   <li>What Tomcat still rejects itself (an encoded NUL, a malformed escape) gets a JSON body from
 *       {@link JsonErrorReportValve} instead of Tomcat's HTML page.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> hostilePathHandling() {
        return factory -> {
            factory.addConnectorCustomizers(connector -> {
                connector.setEncodedSolidusHandling("passthrough");
                connector.setEncodedReverseSolidusHandling("passthrough");
            });
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                }
            });
        };
    }
}
