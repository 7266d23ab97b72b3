import Foundation

extension Supervisor {
    /// SIGHUP (`onebox reload`): reads the configuration again, has dns and web reload
    /// theirs (zones, certificates), and replaces the app workers one at a time — each new
    /// worker is ready on the same socket before the old one is asked to drain and stop.
    /// With `upgrade` (SIGUSR2, `onebox reload --upgrade`) the front is replaced the same
    /// way (the new one binds the same ports beside the old with SO_REUSEPORT), so a new
    /// `onebox` binary at the same path takes over without refusing a connection.
    /// A reload asked for during one runs once more after it.
    public func reload(upgrade: Bool) async {
        guard !isStarting, !isStopping else {
            logger.notice("reload ignored: \(isStarting ? "still starting" : "stopping")")
            return
        }
        if isReloading {
            reloadAgain = true
            return
        }
        isReloading = true
        state = "reloading"
        writeStatus()
        var upgrade = upgrade
        repeat {
            reloadAgain = false
            logger.notice(upgrade ? "upgrade: replacing the front and the app workers" : "reload: dns and web reload, app workers are replaced one by one")
            var replaceFront = upgrade
            do {
                let fresh = try await reloadSettings()
                if fresh.appWorkers != configuration.appWorkers || fresh.roles != configuration.roles {
                    logger.warning("serve.app-workers and serve.roles take effect at the next start of onebox serve")
                }
                if fresh.extraUpstreams != configuration.extraUpstreams { replaceFront = true }
                configuration.backoff = fresh.backoff
                for name in order {
                    slots[name]?.lifecycle.updateBackoff(initial: fresh.backoff.initial, maximum: fresh.backoff.maximum,
                                                         stableAfter: fresh.backoff.stableAfter)
                }
                configuration.startTimeout = fresh.startTimeout
                configuration.stopTimeout = fresh.stopTimeout
                configuration.extraUpstreams = fresh.extraUpstreams
            } catch {
                logger.error("reload: the configuration has an error, keeping the previous one: \(error)")
            }
            slots["dns"]?.process?.send(SIGHUP)
            if replaceFront, slots["web"] != nil {
                await replace("web")
            } else {
                slots["web"]?.process?.send(SIGHUP)
            }
            for name in order where slots[name]?.role == "app" {
                guard !isStopping else { break }
                await replace(name)
            }
            upgrade = false
        } while reloadAgain && !isStopping
        isReloading = false
        if !isStopping { state = "running" }
        writeStatus()
        logger.notice("reload done")
    }

    /// Starts a second process for the slot, waits until it is ready, makes it the
    /// current one, then stops the old one gracefully. When the new one fails, the old
    /// one keeps serving. Returns whether the replacement happened.
    @discardableResult
    func replace(_ name: String) async -> Bool {
        guard let old = slots[name]?.process, slots[name]?.lifecycle.isReady == true else {
            logger.notice("reload: \(name) is not running; its restart will use the new settings")
            return false
        }
        let fresh: ChildProcess
        do {
            fresh = try spawn(name)
        } catch {
            logger.error("reload: cannot start a new \(name): \(error); the old one keeps serving")
            return false
        }
        transient[fresh.pid] = fresh
        defer { transient[fresh.pid] = nil }
        let lines: [ReadyLine]
        do {
            lines = try await waitUntilReady(fresh, name: name)
        } catch {
            if !isStopping { logger.error("reload: the new \(name) failed: \(error); the old one keeps serving") }
            if !exited.contains(fresh.pid) { await terminate(fresh, name: name) }
            return false
        }
        // Serve began to stop, or the old one died and its restart took the slot meanwhile.
        guard !isStopping, slots[name]?.lifecycle.replaced(old.pid, by: fresh) == true else {
            await terminate(fresh, name: name)
            return false
        }
        record(lines, of: fresh, for: name)
        logger.info("reload: \(name) replaced", metadata: ["old-pid": "\(old.pid)", "pid": "\(fresh.pid)"])
        await terminate(old, name: name)
        return true
    }

    /// SIGUSR1: every child's log is reopened (after rotation), and web reopens its
    /// access log (its SIGHUP does that, along with its reload).
    public func reopenLogs() {
        for name in order {
            guard let log = slots[name]?.log else { continue }
            do {
                try log.reopen()
            } catch {
                logger.error("cannot reopen \(log.path): \(error)")
            }
        }
        slots["web"]?.process?.send(SIGHUP)
        logger.notice("logs reopened")
    }
}
