package org.parley.status.persistence;

import javax.sql.DataSource;

import org.parley.status.ParleyConfig;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The live generation's writer: the one the consumer writes every batch through. */
public class LiveWriter {

    @Produces
    @Singleton
    ProjectionWriter liveWriter(DataSource dataSource, ObjectMapper json, ParleyConfig config, MeterRegistry registry) {
        return new ProjectionWriter(dataSource, new ProjectionRepository(Generation.LIVE, json),
                config.consumer().batchTimeout(),
                ProjectionWriter.Refolds.of(config.refold().snapshotInterval(), registry, "live"),
                config.consumer().rememberedProjections());
    }
}
