# Mesh.Publication: build with the SDK, run on the ASP.NET Core runtime. Build context: the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish services/Mesh.Publication/Mesh.Publication.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# libsodium for Ed25519/X25519; curl for the container health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsodium23 curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENTRYPOINT ["dotnet", "Mesh.Publication.dll"]
