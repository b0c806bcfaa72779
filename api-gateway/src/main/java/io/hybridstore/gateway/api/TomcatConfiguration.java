package io.hybridstore.gateway.api;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps hostile paths inside the JSON error contract, as the storage node does.
 * <ul>
 *   <li>An encoded slash or backslash ({@code %2F}, {@code %5C}) is passed through to Spring MVC still encoded.
 *       Tomcat's default refuses such paths with an HTML page before any application code runs; passed through,
 *       {@code /read/a%2Fb} is read as key {@code a/b}, since keys are taken from the raw path and decoded once.</li>
 *   <li>What Tomcat still refuses itself (an encoded NUL, a malformed escape or invalid UTF-8 in the path) gets a
 *       JSON body from {@link JsonErrorReportValve} instead of Tomcat's HTML page.</li>
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
