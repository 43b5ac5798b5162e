<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling">
  <renderer-v2 type="graduatedSymbol" attr="CASE WHEN &quot;change_status_2019_2020&quot; = 'withheld' THEN -2 WHEN &quot;change_status_2019_2020&quot; IN ('no_data', 'no_population') THEN -3 WHEN &quot;change_2019_2020&quot; = 'too_few' THEN -1 WHEN &quot;change_2019_2020&quot; = 'clearly_lower' THEN 1 WHEN &quot;change_2019_2020&quot; = 'no_clear_change' THEN 2 WHEN &quot;change_2019_2020&quot; = 'clearly_higher' THEN 3 END" graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">
    <ranges>
      <range lower="-3.5" upper="-2.5" symbol="0" label="no data" render="true" />
      <range lower="-2.5" upper="-1.5" symbol="1" label="withheld" render="true" />
      <range lower="-1.5" upper="-0.5" symbol="2" label="too few victims to tell" render="true" />
      <range lower="0.5" upper="1.5" symbol="3" label="clearly lower" render="true" />
      <range lower="1.5" upper="2.5" symbol="4" label="no clear change" render="true" />
      <range lower="2.5" upper="3.5" symbol="5" label="clearly higher" render="true" />
    </ranges>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="247,247,247,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="26,26,26,255" />
            <Option name="outline_style" type="QString" value="no" />
            <Option name="outline_width" type="QString" value="0.3" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="round" />
          </Option>
        </layer>
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="150,150,150,255" />
            <Option name="style" type="QString" value="diagonal_x" />
            <Option name="outline_color" type="QString" value="26,26,26,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.3" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="round" />
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="189,189,189,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="26,26,26,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.3" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="round" />
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="240,240,240,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="26,26,26,255" />
            <Option name="outline_style" type="QString" value="no" />
            <Option name="outline_width" type="QString" value="0.3" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="round" />
          </Option>
        </layer>
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="115,115,115,255" />
            <Option name="style" type="QString" value="f_diagonal" />
            <Option name="outline_color" type="QString" value="26,26,26,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.3" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="round" />
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="94,60,153,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="26,26,26,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.3" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="round" />
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="255,255,255,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="26,26,26,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.3" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="round" />
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="5" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="230,97,1,255" />
            <Option name="style" type="QString" value="solid" />
            <Option name="outline_color" type="QString" value="26,26,26,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.3" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="joinstyle" type="QString" value="round" />
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="npu" fontSize="8" fontSizeUnit="Point" textColor="26,26,26,255" isExpression="0" fontWeight="50" namedStyle="Regular" />
      <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.8" />
      <placement placement="0" priority="5" />
      <rendering obstacle="1" scaleVisibility="0" />
    </settings>
  </labeling>
</qgis>
