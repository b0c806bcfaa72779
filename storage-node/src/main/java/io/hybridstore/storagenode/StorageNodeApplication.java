package io.hybridstore.storagenode;

import io.hybridstore.web.TomcatConfiguration;
import io.hybridstore.web.auth.InternalEndpointsConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@Import({TomcatConfiguration.class, InternalEndpointsConfiguration.class})
@ConfigurationPropertiesScan
public class StorageNodeApplication {

    public static void main(String[] args) {
        SpringApplication.run(StorageNodeApplication.class, args);
    }
}
