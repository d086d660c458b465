# The SelfPrivacy API as a Nix flake: the server package and the NixOS module that runs it.
{
  description = "SelfPrivacy API in TypeScript: the server package and its NixOS module";

  # Named `nixpkgs` so that selfprivacy-nixos-config can make it follow its own nixpkgs.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";

  outputs = { self, nixpkgs }:
    let
      # SelfPrivacy servers are x86_64 and aarch64 Linux machines.
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forEachSystem = build: nixpkgs.lib.genAttrs systems (system: build nixpkgs.legacyPackages.${system});
      # The npm registry the locked packages come from is the builder's own; this repository names
      # none. `nix build --impure` reads it from NPM_CONFIG_REGISTRY; the module has an option.
      npmRegistry = builtins.getEnv "NPM_CONFIG_REGISTRY";
    in
    {
      packages = forEachSystem (pkgs: {
        default = pkgs.callPackage ./nix/package.nix { inherit npmRegistry; };
      });

      # The module picks this flake's package for the machine it configures.
      nixosModules.default = import ./nix/module.nix self.packages;

      # `nix flake check` (needs KVM): a NixOS machine with the module on starts the API, which
      # answers on its port, and has the units the API starts for apply, upgrade and rollback.
      checks = forEachSystem (pkgs: {
        module = pkgs.testers.runNixOSTest {
          name = "selfprivacy-api-module";
          nodes.machine = {
            imports = [ self.nixosModules.default ];
            services.selfprivacy-api.enable = true;
            environment.systemPackages = [ pkgs.curl ];
          };
          testScript = ''
            machine.wait_for_unit("selfprivacy-api.service")
            machine.wait_for_open_port(5050)
            machine.succeed("curl --fail --silent http://127.0.0.1:5050/api/version | grep -q version")
            for unit in ["sp-nixos-rebuild", "sp-nixos-upgrade", "sp-nixos-rollback"]:
                machine.succeed(f"systemctl cat {unit}.service")
          '';
        };
      });
    };
}
