@echo off
rem Runs the haetae command line from this distribution. Needs Java 17 or newer: %JAVA_HOME%\bin\java
rem when JAVA_HOME is set, else java on the PATH. HAETAE_JAVA_OPTS adds JVM options, e.g. -Xmx4g.
setlocal
set "HAETAE_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA_EXE=%JAVA_HOME%\bin\java.exe") else (set "JAVA_EXE=java")
"%JAVA_EXE%" %HAETAE_JAVA_OPTS% -jar "%HAETAE_HOME%\lib\haetae.jar" %*
exit /b %ERRORLEVEL%
