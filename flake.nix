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
    in
    {
      packages = forEachSystem (pkgs: {
        default = pkgs.callPackage ./nix/package.nix { };
      });

      # The module picks this flake's package for the machine it configures.
      nixosModules.default = import ./nix/module.nix self.packages;
    };
}
