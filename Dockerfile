# failsim on a clean Debian 12: installs the dependencies, builds and runs the
# test suite with README's commands, then installs the binary.
#   docker build -t failsim .            (builds and tests)
#   docker run --rm failsim failsim run  (the default scenario)
FROM debian:12
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates git sudo && rm -rf /var/lib/apt/lists/*
WORKDIR /src/failsim
COPY . .
RUN ./scripts/setup.sh && cmake -S . -B build && cmake --build build -j2 && ctest --test-dir build --output-on-failure -j2
RUN cmake --install build
WORKDIR /work
