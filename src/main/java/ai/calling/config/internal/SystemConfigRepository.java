package ai.calling.config.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface SystemConfigRepository extends JpaRepository<SystemConfigEntry, UUID> {

    Optional<SystemConfigEntry> findByConfigKey(String configKey);
}
