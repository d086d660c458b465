# NixOS module of the SelfPrivacy API: the API's service, the units it starts to rebuild, upgrade
# and roll back the system, and optionally nginx in front of it. flake.nix hands in its packages.
packages:
{ config, lib, pkgs, ... }:
let
  cfg = config.services.selfprivacy-api;

  # The system flake in /etc/nixos names its configuration "default" (selfprivacy-nixos-config).
  systemFlake = ".#default";
  nixosRebuild = "${config.system.build.nixos-rebuild}/bin/nixos-rebuild";
  nix = "${config.nix.package.out}/bin/nix";

  # The units that change the system, as the API starts them (domain/system-units.ts): in
  # /etc/nixos, logging to the journal, ordered so that two never run at once, and left alone by
  # the switch they run.
  systemChangeUnit = { description, after ? [ ], preStart ? null, command }: {
    inherit description after;
    environment = config.nix.envVars // config.networking.proxy.envVars // { HOME = "/root"; };
    path = [ pkgs.coreutils pkgs.gnutar pkgs.xz.bin pkgs.gzip pkgs.gitMinimal config.nix.package.out ];
    # No Type: like upstream's units, `systemctl start` returns once the run has begun; the API
    # follows it to its end through `systemctl show` (jobs/job-registry.ts).
    serviceConfig = {
      User = "root";
      WorkingDirectory = "/etc/nixos";
      ExecStart = command;
      # A switch restarts services; the rebuild itself must survive that and never be killed midway.
      KillMode = "mixed";
      SendSIGKILL = false;
      StandardOutput = "journal";
      StandardError = "journal";
    } // lib.optionalAttrs (preStart != null) { ExecStartPre = preStart; };
    restartIfChanged = false;
    unitConfig.X-StopOnRemoval = false;
  };

  # The charts' metrics source: Prometheus scraping node exporter, both on loopback only. The API
  # reads Prometheus and writes each service's memory where node exporter's textfile collector
  # reads it (a folder of its own: the API's state folder is root-only).
  prometheusUrl = "http://127.0.0.1:${toString cfg.monitoring.prometheusPort}";
  nodeExporterTarget = "127.0.0.1:${toString cfg.monitoring.nodeExporterPort}";
  textfileFolder = "/var/lib/selfprivacy-api-metrics";
  # What the charts' PromQL reads (domain/monitoring/charts.ts), and the service memory file.
  nodeExporterCollectors = [ "cpu" "meminfo" "filesystem" "netdev" "textfile" ];

  apiAddress = "http://${cfg.host}:${toString cfg.port}";
  # deploy/nginx-api.conf in Nix: what nginx passes on, and the wait for apply/upgrade/rollback.
  proxiedLocation = {
    proxyPass = apiAddress;
    # Host, X-Forwarded-For (the API trusts its last address when the peer is loopback), X-Forwarded-Proto.
    recommendedProxySettings = true;
    # How long nginx waits for an answer; the rebuild routes wait longer (below).
    extraConfig = ''
      proxy_read_timeout 600s;
    '';
  };
  # apply, upgrade and rollback answer when the rebuild ends, as in 1.2: the API waits up to
  # 6 h 5 min (timeLimitSeconds in routes.json), so nginx waits as long.
  rebuildLocation = proxiedLocation // {
    extraConfig = ''
      proxy_read_timeout 21900s;
    '';
  };
in
{
  options.services.selfprivacy-api = {
    enable = lib.mkEnableOption "the SelfPrivacy API, the server side of the SelfPrivacy app";

    npmRegistry = lib.mkOption {
      type = lib.types.str;
      default = "";
      example = "the address `npm config get registry` prints";
      description = "The npm registry the default package's locked dependencies are fetched from.";
    };

    package = lib.mkOption {
      type = lib.types.package;
      default =
        let built = packages.${pkgs.stdenv.hostPlatform.system}.default;
        in if cfg.npmRegistry == "" then built else built.override { inherit (cfg) npmRegistry; };
      defaultText = lib.literalExpression "selfprivacy-api.packages.\${system}.default with npmRegistry";
      description = "The API's package (this flake's build for the machine's platform).";
    };

    host = lib.mkOption {
      type = lib.types.str;
      default = "127.0.0.1";
      description = "Address the API listens on (HOST). nginx in front of it terminates TLS.";
    };

    port = lib.mkOption {
      type = lib.types.port;
      default = 5050;
      description = "Port the API listens on (PORT).";
    };

    root = lib.mkOption {
      type = lib.types.str;
      default = "/";
      description = ''
        Folder every server path is resolved under (SELFPRIVACY_ROOT): userdata is
        <root>/etc/nixos/userdata/userdata.json. Only a test machine sets anything but "/".
      '';
    };

    enableSwagger = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        Serve the OpenAPI document and the docs page (ENABLE_SWAGGER=1). userdata's
        api.enableSwagger can turn them on too.
      '';
    };

    environmentFile = lib.mkOption {
      # A string, not a Nix path: a path would be copied into the world-readable Nix store.
      type = lib.types.nullOr lib.types.str;
      default = null;
      example = "/etc/selfprivacy/api.env";
      description = ''
        File of NAME=value lines read by systemd when the API starts: RESTIC_PASSWORD goes here
        (and SELFPRIVACY_RESTIC_REPOSITORY, if backups go elsewhere than Backblaze;
        SELFPRIVACY_AUTOBACKUP_CHECK_SECONDS, if automatic backups should be looked for more or
        less often than every 60 seconds). Keep it root-only and out of the Nix store, which
        anyone on the machine can read.
      '';
    };

    logLevel = lib.mkOption {
      type = lib.types.enum [ "debug" "info" "warn" "error" ];
      default = "info";
      description = "Least important log lines written to the journal (LOG_LEVEL).";
    };

    monitoring = {
      enable = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = ''
          Run Prometheus and its node exporter on loopback for the app's server charts (CPU,
          memory, swap, disk, network, memory by service), and point the API at them. Off, the
          charts answer an error saying Prometheus cannot be reached.
        '';
      };

      prometheusPort = lib.mkOption {
        type = lib.types.port;
        default = 9001;
        description = "Loopback port of Prometheus (the API's SELFPRIVACY_PROMETHEUS_URL).";
      };

      nodeExporterPort = lib.mkOption {
        type = lib.types.port;
        default = 9002;
        description = "Loopback port of the node exporter Prometheus scrapes.";
      };

      retentionTime = lib.mkOption {
        type = lib.types.str;
        default = "30d";
        description = "How long Prometheus keeps samples; the app's longest chart covers 15 days.";
      };
    };

    nginx = {
      enable = lib.mkOption {
        type = lib.types.bool;
        default = false;
        description = ''
          Declare the virtual host api.<domain> proxying to the API. selfprivacy-nixos-config
          declares that host itself (webserver/nginx.nix), so leave this off there.
        '';
      };

      domain = lib.mkOption {
        type = lib.types.str;
        example = "example.org";
        description = "The server's domain; the API is served at https://api.<domain>.";
      };

      useACMEHost = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        example = "example.org";
        description = ''
          Certificate of security.acme.certs to use (a wildcard one, as SelfPrivacy servers
          have). null asks ACME for a certificate of api.<domain> alone.
        '';
      };
    };
  };

  config = lib.mkIf cfg.enable (lib.mkMerge [
    {
      assertions = [{
        assertion = cfg.environmentFile == null
          || (lib.hasPrefix "/" cfg.environmentFile && !lib.hasPrefix builtins.storeDir cfg.environmentFile);
        message = "services.selfprivacy-api.environmentFile must be an absolute path outside the Nix store: it holds RESTIC_PASSWORD.";
      }];

      systemd.services.selfprivacy-api = {
        description = "SelfPrivacy API";
        after = [ "network-online.target" ];
        wants = [ "network-online.target" ];
        wantedBy = [ "multi-user.target" ];
        environment = config.nix.envVars // config.networking.proxy.envVars // {
          # restic, git and nix keep their caches and settings under root's home.
          HOME = "/root";
          HOST = cfg.host;
          PORT = toString cfg.port;
          SELFPRIVACY_ROOT = cfg.root;
          LOG_LEVEL = cfg.logLevel;
        } // lib.optionalAttrs cfg.enableSwagger { ENABLE_SWAGGER = "1"; }
          // lib.optionalAttrs cfg.monitoring.enable {
            SELFPRIVACY_PROMETHEUS_URL = prometheusUrl;
            SELFPRIVACY_NODE_EXPORTER_TEXTFILE_DIR = textfileFolder;
            # As often as Prometheus scrapes (globalConfig below).
            SELFPRIVACY_SERVICE_MEMORY_INTERVAL = "15";
          };
        # Every command is run by name through PATH: git, restic (which starts rclone), systemctl,
        # journalctl and reboot (systemd), uname (coreutils), mount tools, ip (the server's addresses
        # for its DNS records), nix and nixos-rebuild.
        path = [
          pkgs.coreutils
          pkgs.iproute2
          pkgs.gitMinimal
          pkgs.restic
          pkgs.rclone
          config.systemd.package
          pkgs.util-linux
          config.nix.package.out
          config.system.build.nixos-rebuild
        ];
        serviceConfig = {
          # Root: it edits /etc/nixos/userdata and runs systemctl, reboot, git and restic.
          User = "root";
          ExecStart = lib.getExe cfg.package;
          Restart = "always";
          RestartSec = 5;
          # SIGTERM lets requests in flight finish and queued writes land (10 s grace).
          KillSignal = "SIGTERM";
          TimeoutStopSec = 20;
          # The API's jobs and backup state, and its audit log (store/server-paths.ts).
          StateDirectory = "selfprivacy-api";
          StateDirectoryMode = "0700";
          LogsDirectory = "selfprivacy-api";
          LogsDirectoryMode = "0700";
        } // lib.optionalAttrs (cfg.environmentFile != null) { EnvironmentFile = cfg.environmentFile; };
      };

      systemd.services.sp-nixos-rebuild = systemChangeUnit {
        description = "Rebuild NixOS from /etc/nixos (SelfPrivacy API: apply)";
        command = "${nixosRebuild} switch --flake ${systemFlake}";
      };

      systemd.services.sp-nixos-upgrade = systemChangeUnit {
        description = "Update the flake inputs of /etc/nixos and rebuild NixOS (SelfPrivacy API: upgrade)";
        after = [ "sp-nixos-rebuild.service" ];
        preStart = "${nix} flake update";
        command = "${nixosRebuild} switch --flake ${systemFlake}";
      };

      systemd.services.sp-nixos-rollback = systemChangeUnit {
        description = "Switch NixOS back to the previous generation (SelfPrivacy API: rollback)";
        after = [ "sp-nixos-rebuild.service" "sp-nixos-upgrade.service" ];
        command = "${nixosRebuild} switch --rollback --flake ${systemFlake}";
      };
    }

    (lib.mkIf cfg.monitoring.enable {
      services.prometheus = {
        enable = true;
        listenAddress = "127.0.0.1";
        port = cfg.monitoring.prometheusPort;
        retentionTime = cfg.monitoring.retentionTime;
        globalConfig.scrape_interval = "15s";
        scrapeConfigs = [{
          job_name = "node";
          static_configs = [{ targets = [ nodeExporterTarget ]; }];
        }];
        exporters.node = {
          enable = true;
          listenAddress = "127.0.0.1";
          port = cfg.monitoring.nodeExporterPort;
          enabledCollectors = nodeExporterCollectors;
          extraFlags = [ "--collector.disable-defaults" "--collector.textfile.directory=${textfileFolder}" ];
        };
      };
      # Readable by node exporter's user; the API (root) writes there. Memory sizes, no secrets.
      systemd.tmpfiles.rules = [ "d ${textfileFolder} 0755 root root - -" ];
    })

    (lib.mkIf cfg.nginx.enable {
      services.nginx.enable = true;
      services.nginx.virtualHosts."api.${cfg.nginx.domain}" = {
        forceSSL = true;
        useACMEHost = cfg.nginx.useACMEHost;
        enableACME = cfg.nginx.useACMEHost == null;
        locations."/" = proxiedLocation;
        # GraphQL subscriptions arrive as WebSocket upgrades on /graphql.
        locations."/graphql" = proxiedLocation // { proxyWebsockets = true; };
        locations."~ ^/system/configuration/(apply|upgrade|rollback)$" = rebuildLocation;
      };
    })
  ]);
}
