package io.hybridstore.gateway;

import io.hybridstore.web.TomcatConfiguration;
import io.hybridstore.web.auth.ClusterAuthConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@Import({TomcatConfiguration.class, ClusterAuthConfiguration.class})
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
