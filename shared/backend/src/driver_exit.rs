//! Ending a process that used the GPU backend without the graphics driver's exit handlers.
//!
//! Mesa's software Vulkan (lavapipe, the GPU path of CI and of machines without a GPU) is built
//! on LLVM 15 in Debian 12. When such a process exits, libc runs LLVM's static destructors
//! while lavapipe's worker threads still free their shader JITs (`llvm::MCJIT::~MCJIT`), and
//! about one exit in twenty dies with SIGSEGV after every test has passed (upstream:
//! llvm/llvm-project#60361, "Abort/segfault when exiting programs using mesa and llvm version
//! >= 15"). A crash at that point loses nothing but the exit status, yet it fails the test run.
//!
//! [`skip_driver_teardown_at_exit`] registers a glibc `on_exit` handler once the device exists.
//! Exit handlers run in reverse order of registration, so it runs before the handlers that the
//! driver and LLVM registered when they were loaded, and it ends the process with `_exit` and
//! the same status. Rust has already flushed its standard output by then (`std::rt::cleanup`
//! runs before libc's `exit`), C's stdio is flushed here, and the kernel frees the device's
//! memory as it does for any ending process. Results files are written before exit, atomically
//! (`shared_report::atomic`), so nothing is lost.

/// Registers the handler once per process; later calls do nothing. Call it after the wgpu device
/// has been created, so that the driver's own exit handlers were registered before it.
pub fn skip_driver_teardown_at_exit() {
    use std::sync::Once;
    static REGISTERED: Once = Once::new();
    REGISTERED.call_once(glibc::register);
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::ffi::{c_int, c_void};

    unsafe extern "C" {
        /// glibc's `int on_exit(void (*function)(int status, void *arg), void *arg)`.
        fn on_exit(function: extern "C" fn(c_int, *mut c_void), arg: *mut c_void) -> c_int;
        /// `int fflush(FILE *stream)`; a null stream flushes every output stream.
        fn fflush(stream: *mut c_void) -> c_int;
        /// `void _exit(int status)`: ends the process at once, running no exit handlers.
        fn _exit(status: c_int) -> !;
    }

    extern "C" fn end_now(status: c_int, _arg: *mut c_void) {
        // SAFETY: plain libc calls with valid arguments, made from inside `exit`, where glibc
        // allows them; the process ends here with the status `exit` was given.
        unsafe {
            fflush(std::ptr::null_mut());
            _exit(status);
        }
    }

    pub fn register() {
        // SAFETY: `end_now` has the signature glibc expects and ignores its argument.
        let registered = unsafe { on_exit(end_now, std::ptr::null_mut()) } == 0;
        if !registered {
            eprintln!("warning: could not register the exit handler that avoids Mesa's exit crash");
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod glibc {
    /// Elsewhere the driver's exit handlers run as usual.
    pub fn register() {}
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::skip_driver_teardown_at_exit;
    use std::process::Command;

    /// Set in the child process that this test starts from its own binary.
    const CHILD: &str = "SHARED_DRIVER_EXIT_CHILD";

    unsafe extern "C" {
        fn atexit(function: extern "C" fn()) -> std::ffi::c_int;
    }

    /// Stands for the driver's handler: registered before ours, so it must not run.
    extern "C" fn driver_teardown() {
        eprintln!("driver teardown ran");
    }

    #[test]
    fn the_process_keeps_its_status_and_output_and_skips_earlier_exit_handlers() {
        if std::env::var_os(CHILD).is_some() {
            // SAFETY: `driver_teardown` takes no arguments and only writes to stderr.
            assert_eq!(unsafe { atexit(driver_teardown) }, 0);
            skip_driver_teardown_at_exit();
            print!("printed without a newline");
            std::process::exit(3);
        }
        let output = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "driver_exit::tests::the_process_keeps_its_status_and_output_and_skips_earlier_exit_handlers",
            ])
            .args(["--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "stdout: {stdout}\nstderr: {stderr}");
        assert!(stdout.contains("printed without a newline"), "{stdout}");
        assert!(!stderr.contains("driver teardown ran"), "{stderr}");
    }
}
