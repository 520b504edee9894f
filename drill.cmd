@echo off
rem MNIST Drill launcher for Windows: builds on first use (or when sources changed), then runs.
rem   drill                 open the workbench window
rem   drill train ...       headless commands (train, study, studies, bench, summary, predict, runs, doctor, --help)
setlocal EnableDelayedExpansion
set "here=%~dp0"
set "here=%here:~0,-1%"
set "jar=%here%\target\mnist-drill-0.1.0.jar"
set "stamp=%here%\target\.built"
set "build=0"
if not exist "%jar%" set "build=1"
if not exist "%stamp%" set "build=1"
if "%build%"=="0" (
  rem rebuild when a source file or pom.xml is newer than the last build, as ./drill does
  for /f %%n in ('powershell -NoProfile -Command "$s=(Get-Item '%stamp%').LastWriteTime; @(Get-ChildItem -Recurse -File '%here%\src\main'; Get-Item '%here%\pom.xml') | Where-Object { $_.LastWriteTime -gt $s } | Measure-Object | Select-Object -ExpandProperty Count"') do (
    if not "%%n"=="0" set "build=1"
  )
)
if "%build%"=="1" (
  echo Building MNIST Drill ^(first run downloads dependencies from Maven Central^)... 1>&2
  pushd "%here%"
  call mvn -B -q -DskipTests package 1>&2
  if errorlevel 1 ( popd & exit /b 1 )
  popd
  type nul > "%stamp%"
)
rem Heap and GC as ./drill sets them (see the comments there): headless commands 1 GB with G1 and a 10 ms pause
rem goal; the window 2 GB, with Shenandoah where the JDK has it.
set "heap=-Xmx1g"
set "gc=-XX:MaxGCPauseMillis=10"
if "%~1"=="" (
  set "heap=-Xmx2g"
  java -XX:+UseShenandoahGC -version >nul 2>&1 && set "gc=-XX:+UseShenandoahGC"
)
if defined DRILL_JAVA_OPTS (set "opts=%DRILL_JAVA_OPTS%") else (set "opts=!heap! !gc!")
rem Studies on Spark (study --spark ...): SPARK_HOME's jars after ours, and the module openings Spark needs on Java 17.
set "cp=%jar%;%here%\target\lib\*"
echo %* | findstr /c:"--spark" >nul && (
  set "opts=!opts! @%here%\spark-jvm.options"
  if defined SPARK_HOME set "cp=!cp!;%SPARK_HOME%\jars\*"
)
java !opts! -cp "!cp!" dev.mnistdrill.app.Main %*
exit /b %ERRORLEVEL%
